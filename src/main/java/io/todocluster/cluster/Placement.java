package io.todocluster.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/**
 * Which member owns a process key: rendezvous (highest random weight) hashing over the live
 * server members. Every node computes the same owner from the same member list without asking
 * anyone, and when a member joins or leaves only the keys it wins or held move (about 1/n of
 * them), which is what keeps failover and handoff small.
 */
public final class Placement {

  private final List<String> members;

  public Placement(Collection<String> members) {
    this.members = List.copyOf(members);
  }

  public List<String> members() {
    return members;
  }

  /** The owner of the key, or null when there is no member. */
  public String owner(String key) {
    long keyHash = hash(key);
    String best = null;
    long bestWeight = 0;
    for (String member : members) {
      long weight = mix(keyHash ^ hash(member));
      // ties are broken by name so that every node agrees whatever order it lists members in
      if (best == null || Long.compareUnsigned(weight, bestWeight) > 0
          || (weight == bestWeight && member.compareTo(best) < 0)) {
        best = member;
        bestWeight = weight;
      }
    }
    return best;
  }

  /** 64-bit FNV-1a over UTF-8: stable across JVMs and versions, unlike String.hashCode's 32 bits. */
  static long hash(String text) {
    long h = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** SplitMix64's finalizer: spreads the combined hash so that weights are independent per member. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
