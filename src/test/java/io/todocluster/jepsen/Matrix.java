package io.todocluster.jepsen;

import io.todocluster.jepsen.Anomaly.Kind;
import io.todocluster.jepsen.Op.Entry;
import io.todocluster.netns.NetnsNode;
import io.todocluster.netns.TestNetwork;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * One run of the fault matrix: N node JVMs in network namespaces, a recorded workload from a few
 * clients per node, 10 s of load, the fault (its own schedule), 10 s of load, then the final reads
 * once the nodes agree, and the check. The history and the nodes' logs are kept under target/jepsen/.
 */
final class Matrix {

  static final Duration READY = Duration.ofSeconds(120);
  /** A merge at formation settles in seconds; its bound (Membership) is 90 s. */
  static final Duration FORMED = Duration.ofSeconds(120);
  static final List<String> LISTS = IntStream.range(0, 12).mapToObj(i -> "l" + i).toList();

  interface Fault {
    void run(TestNetwork network, NetnsNode[] nodes) throws Exception;
  }

  /** What one run gives: the history's outcomes, the check, and the timings. */
  record Result(String name, long seed, int nodes, Map<Op.Type, Long> outcomes, CheckResult check,
      long convergeMs, double availabilityFaulted, double availabilityOthers, Path history) {

    long staleReadsOutside(Set<String> faulted) {
      return check.anomalies().stream()
          .filter(a -> a.kind() == Kind.STALE_READ && !faulted.contains(a.node())).count();
    }
  }

  private Matrix() {
  }

  static Result run(String name, int size, Path dir, Set<String> faulted, Fault fault, long seed) throws Exception {
    try (TestNetwork network = TestNetwork.create(size)) {
      NetnsNode[] nodes = new NetnsNode[size];
      try {
        // n0 first, alone: it becomes the JGroups coordinator, so every fault hits the coordinator,
        // the harder case (the survivors elect a new one and the store reconciles its copies)
        nodes[0] = NetnsNode.start(network, 0, jar(), dir.resolve("n0")).awaitReady(READY);
        for (int i = 1; i < size; i++) {
          nodes[i] = NetnsNode.start(network, i, jar(), dir.resolve("n" + i));
        }
        for (NetnsNode node : nodes) {
          node.awaitReady(READY);
        }
        // The faults are single faults on a formed cluster. A node that did not find n0 in time
        // forms a cluster of its own, which then merges with n0's and settles: a CI run once
        // began its pause while that merge's conflict resolution ran, a double fault (see
        // RELIABILITY.md, "Open: a fault during a merge's conflict resolution").
        awaitFormed(nodes);
        Map<String, URI> bases = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
          bases.put("n" + i, nodes[i].uri("/"));
        }
        History history = new History();
        Clients clients = new Clients(history, bases, LISTS, seed);
        clients.start(size <= 3 ? 3 : 2);
        Thread.sleep(10_000); // the schedule: 10 s of load before the fault
        long faultStart = System.nanoTime();
        fault.run(network, nodes);
        long faultEnd = System.nanoTime();
        Thread.sleep(10_000); // and 10 s after it
        clients.stop();

        long stopped = System.nanoTime();
        Map<String, Map<String, List<Entry>>> finals = awaitConvergence(nodes);
        long convergeMs = (System.nanoTime() - stopped) / 1_000_000;
        Path saved = Path.of("target", "jepsen", name + "-" + seed + ".jsonl");
        Files.createDirectories(saved.getParent());
        history.save(saved);
        return new Result(name, seed, size, history.outcomes(), Checker.check(history, finals), convergeMs,
            availability(history, faultStart, faultEnd, faulted, true),
            availability(history, faultStart, faultEnd, faulted, false), saved);
      } finally {
        for (NetnsNode node : nodes) {
          if (node != null) {
            node.close();
          }
        }
        keepLogs(dir, Path.of("target", "jepsen", name + "-" + seed + "-logs"));
      }
    }
  }

  /** The nodes' logs outlive the test's temp dir: a failed run is read from them. */
  private static void keepLogs(Path dataDirs, Path into) throws IOException {
    Files.createDirectories(into);
    try (var logs = Files.find(dataDirs, 2, (path, attributes) -> path.toString().endsWith(".log"))) {
      for (Path log : (Iterable<Path>) logs::iterator) {
        Files.copy(log, into.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** Share of operations invoked during the fault that succeeded, on the faulted nodes or on the others. */
  private static double availability(History history, long from, long to, Set<String> faulted, boolean onFaulted) {
    long ok = 0;
    long all = 0;
    for (Call call : history.calls()) {
      Op invoke = call.invoke();
      if (invoke.time() < from || invoke.time() > to || faulted.contains(invoke.node()) != onFaulted) {
        continue;
      }
      all++;
      if (call.completion() != null && call.completion().type() == Op.Type.OK) {
        ok++;
      }
    }
    return all == 0 ? Double.NaN : (double) ok / all;
  }

  /** Reads every list through every node until all nodes read the same (bounded), and returns those reads. */
  /** Until every node lists all members and answers a read (a settling cluster answers none). */
  private static void awaitFormed(NetnsNode[] nodes) throws Exception {
    long deadline = System.nanoTime() + FORMED.toNanos();
    for (NetnsNode node : nodes) {
      while (!formed(node, nodes.length)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the cluster did not form and serve within " + FORMED + ":\n" + node.log());
        }
        Thread.sleep(200);
      }
    }
  }

  private static boolean formed(NetnsNode node, int size) throws Exception {
    try {
      var cluster = node.get("/api/cluster");
      if (cluster.statusCode() != 200
          || new io.vertx.core.json.JsonObject(cluster.body()).getJsonArray("members").size() != size) {
        return false;
      }
      return node.get("/api/lists/formation-probe/entries").statusCode() == 200;
    } catch (java.io.IOException notYet) {
      return false;
    }
  }

  private static Map<String, Map<String, List<Entry>>> awaitConvergence(NetnsNode[] nodes) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    Map<String, Map<String, List<Entry>>> finals;
    do {
      finals = new TreeMap<>();
      for (int i = 0; i < nodes.length; i++) {
        Map<String, List<Entry>> reads = new TreeMap<>();
        for (String list : LISTS) {
          try {
            var response = nodes[i].get("/api/lists/" + list + "/entries");
            if (response.statusCode() == 200) {
              reads.put(list, Clients.entries(new JsonArray(response.body())));
            }
          } catch (IOException notYet) {
            // not answering yet: this round does not count
          }
        }
        finals.put("n" + i, reads);
      }
      if (finals.values().stream().allMatch(r -> r.size() == LISTS.size()) && Checker.divergentLists(finals).isEmpty()) {
        return finals;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    return finals; // the checker reports what still diverges
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("todo.jar", "target/todo-cluster.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run mvn package first");
    }
    return jar.toAbsolutePath();
  }
}
