package io.todocluster.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Which member owns a process key. Every node computes the same owner from the same member list
 * without asking anyone, and when a member joins or leaves only the keys it wins or held move
 * (about 1/n of them), which is what keeps failover and handoff small.
 *
 * <p>Two rules: rendezvous (highest random weight) hashing over the members, and placement by
 * segment, where a key goes with its segment to a given member ({@link DataPlacement}: the
 * primary owner of the key's data). A key whose segment has no live owner in the table falls
 * back to rendezvous, so every key always has an owner among the members.
 */
public final class Placement {

  private final List<String> members;
  private final Set<String> live;
  private final ToIntFunction<String> segmentOf;
  private final List<String> segmentOwners;

  /** Rendezvous hashing over the members. */
  public Placement(Collection<String> members) {
    this(members, null, List.of());
  }

  private Placement(Collection<String> members, ToIntFunction<String> segmentOf, List<String> segmentOwners) {
    this.members = List.copyOf(members);
    this.live = Set.copyOf(members);
    this.segmentOf = segmentOf;
    this.segmentOwners = List.copyOf(segmentOwners);
  }

  /** A key goes to the owner of its segment ({@code segmentOwners.get(segmentOf(key))}). */
  public static Placement bySegment(Collection<String> members, ToIntFunction<String> segmentOf,
      List<String> segmentOwners) {
    return new Placement(members, segmentOf, segmentOwners);
  }

  public List<String> members() {
    return members;
  }

  /** The owner of the key, or null when there is no member. */
  public String owner(String key) {
    if (segmentOf != null) {
      int segment = segmentOf.applyAsInt(key);
      String owner = segment >= 0 && segment < segmentOwners.size() ? segmentOwners.get(segment) : null;
      if (owner != null && live.contains(owner)) {
        return owner;
      }
    }
    return rendezvous(key);
  }

  private String rendezvous(String key) {
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
