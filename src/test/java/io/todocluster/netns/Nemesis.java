package io.todocluster.netns;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Injects faults into a {@link TestNetwork}: network faults as nftables rules inside the node
 * namespaces, process faults as signals.
 *
 * <p>Every rule is a silent drop on the receiver's input hook. A drop in the sender's output hook
 * would make send() fail with EPERM, which tells the sender something a real partition never
 * would; dropped on input, the packets leave, cross the bridge and vanish. Rules match only node
 * addresses (198.18.0.10 and up), never the bridge address 198.18.0.1, so the test JVM keeps
 * talking to every node: it can watch a minority refuse writes, and heal.
 *
 * <p>Faults add up (a partition and a lossy node at once). This class keeps the wanted state and
 * rewrites each changed namespace's table {@code inet tcnemesis} in one `nft -f` transaction, so a
 * namespace never shows half a fault; {@link #heal} deletes the tables.
 */
public final class Nemesis {

  static final String TABLE = "tcnemesis";

  private final TestNetwork network;
  /** Directed links cut: packets from {@code key} are dropped at every node in the value set. */
  private final Map<Integer, Set<Integer>> blocked = new HashMap<>();
  private final Map<Integer, Integer> lossPercent = new HashMap<>();

  public Nemesis(TestNetwork network) {
    this.network = network;
  }

  /** Packets from {@code from} to {@code to} are dropped; the other direction still works. */
  public synchronized void block(int from, int to) {
    if (from == to) {
      throw new IllegalArgumentException("a node cannot be cut from itself: " + from);
    }
    blocked.computeIfAbsent(from, k -> new HashSet<>()).add(to);
    apply(Set.of(to));
  }

  /** Both directions between {@code a} and {@code b} dropped. */
  public synchronized void cut(int a, int b) {
    block(a, b);
    block(b, a);
  }

  /** Node {@code i} hears no other node and no other node hears it. */
  public synchronized void isolate(int i) {
    for (int j = 0; j < network.size(); j++) {
      if (j != i) {
        cut(i, j);
      }
    }
  }

  /** Every link between the two sides is cut; links inside each side stay. */
  public synchronized void split(Set<Integer> a, Set<Integer> b) {
    if (!disjoint(a, b)) {
      throw new IllegalArgumentException("sides overlap: " + a + " / " + b);
    }
    for (int x : a) {
      for (int y : b) {
        cut(x, y);
      }
    }
  }

  /**
   * The two halves cannot see each other, but both see {@code middle}: the classic "bridge"
   * partition, where a node can be in a majority with each side at once.
   */
  public synchronized void bridge(Set<Integer> a, int middle, Set<Integer> b) {
    if (a.contains(middle) || b.contains(middle)) {
      throw new IllegalArgumentException("the middle node " + middle + " must be in neither half");
    }
    split(a, b);
  }

  /**
   * Node {@code i} loses {@code percent}% of the packets it sends to and receives from other
   * nodes, each packet drawn independently ({@code numgen random mod 100 < p}). On a link between
   * two lossy nodes the losses compound.
   */
  public synchronized void loss(int i, int percent) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("percent must be 0..100, was " + percent);
    }
    lossPercent.put(i, percent);
    Set<Integer> all = new HashSet<>();
    for (int j = 0; j < network.size(); j++) {
      all.add(j); // packets from i are dropped at every receiver, packets to i at i
    }
    apply(all);
  }

  /** Removes every network fault: the table is deleted in every namespace. */
  public synchronized void heal() {
    blocked.clear();
    lossPercent.clear();
    for (int i = 0; i < network.size(); i++) {
      // Declaring the table first makes the delete succeed whether or not it existed.
      Sh.check("table inet " + TABLE + " {}\ndelete table inet " + TABLE + "\n", nft(i));
    }
  }

  /** The rules now in namespace {@code i}, as nft prints them (for failure messages). */
  public String rules(int i) {
    return Sh.run(network.inNamespace(i, List.of("nft", "list", "ruleset")).toArray(String[]::new)).stdout();
  }

  /** SIGKILL: the node gets no chance to flush or say goodbye. */
  public static void kill(long pid) {
    signal(pid, "KILL");
  }

  /**
   * SIGKILL to every one of these processes from one kill(1), which signals them one after the
   * other in a tight loop: a power loss as close as a test can make it (microseconds apart, where
   * one kill command per process would be milliseconds apart).
   */
  public static void killAll(long... pids) {
    List<String> command = new ArrayList<>(List.of("kill", "-KILL"));
    for (long pid : pids) {
      command.add(Long.toString(pid));
    }
    Sh.check(command.toArray(String[]::new));
  }

  /** SIGSTOP: the process freezes with its sockets open; peers see a silent, not a dead, node. */
  public static void pause(long pid) {
    signal(pid, "STOP");
  }

  /** SIGCONT after {@link #pause}. */
  public static void resume(long pid) {
    signal(pid, "CONT");
  }

  /** SIGQUIT: the JVM prints every thread's stack to its stdout, the node's log, and goes on. */
  public static void threadDump(long pid) {
    signal(pid, "QUIT");
  }

  private static void signal(long pid, String signal) {
    Sh.check("kill", "-" + signal, Long.toString(pid));
  }

  private void apply(Set<Integer> namespaces) {
    for (int i : namespaces) {
      Sh.check(script(i), nft(i));
    }
  }

  /** Replaces namespace {@code i}'s table atomically: add (no-op if present), delete, define. */
  String script(int i) {
    List<String> rules = new ArrayList<>();
    Set<String> cutFrom = new TreeSet<>();
    blocked.forEach((from, tos) -> {
      if (tos.contains(i)) {
        cutFrom.add(network.host(from));
      }
    });
    if (!cutFrom.isEmpty()) {
      rules.add("ip saddr " + set(cutFrom) + " drop");
    }
    Set<String> peers = new TreeSet<>();
    for (int j = 0; j < network.size(); j++) {
      if (j != i) {
        peers.add(network.host(j));
      }
    }
    int own = lossPercent.getOrDefault(i, 0);
    if (own > 0 && !peers.isEmpty()) {
      rules.add("ip saddr " + set(peers) + " " + drop(own));
    }
    lossPercent.forEach((j, p) -> {
      if (j != i && p > 0) {
        rules.add("ip saddr " + network.host(j) + " " + drop(p));
      }
    });
    StringBuilder s = new StringBuilder("table inet " + TABLE + " {}\ndelete table inet " + TABLE + "\n");
    s.append("table inet ").append(TABLE).append(" {\n  chain input {\n")
        .append("    type filter hook input priority filter; policy accept;\n");
    rules.forEach(r -> s.append("    ").append(r).append('\n'));
    return s.append("  }\n}\n").toString();
  }

  /** nft rejects {@code mod 100 < 100} (the value is out of the 0..99 range), so 100% is a plain drop. */
  private static String drop(int percent) {
    return percent >= 100 ? "drop" : "numgen random mod 100 < " + percent + " drop";
  }

  private static String set(Set<String> addresses) {
    return addresses.size() == 1 ? addresses.iterator().next()
        : addresses.stream().collect(Collectors.joining(", ", "{ ", " }"));
  }

  private List<String> nft(int i) {
    return network.inNamespace(i, List.of("nft", "-f", "-"));
  }

  private static boolean disjoint(Set<Integer> a, Set<Integer> b) {
    return a.stream().noneMatch(b::contains);
  }
}
