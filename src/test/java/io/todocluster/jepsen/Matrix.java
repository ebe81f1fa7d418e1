package io.todocluster.jepsen;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.jepsen.Anomaly.Kind;
import io.todocluster.jepsen.Op.Entry;
import io.todocluster.netns.Nemesis;
import io.todocluster.netns.NetnsNode;
import io.todocluster.netns.TestNetwork;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the fault matrix: N node JVMs in network namespaces, a recorded workload from a few
 * clients per node (bound to their node, or sent through a client-side {@link Balancer}), 10 s of
 * load, the fault (its own schedule, given a {@link Cluster} to act on), 10 s of load, then the
 * final reads once the nodes agree, and the check. Kept under target/jepsen/, named
 * {@code <scenario>-<seed>}: the history ({@code .jsonl}), the final reads ({@code -final.json}),
 * every anomaly found ({@code -check.json}), the schedule's events on the history's clock
 * ({@code -events.txt}), the clients' non-ok outcomes by status and message ({@code -errors.txt})
 * and the nodes' logs ({@code -logs/}).
 */
final class Matrix {

  private static final Logger log = LoggerFactory.getLogger(Matrix.class);

  static final Duration READY = Duration.ofSeconds(120);
  /** A merge at formation settles in seconds; its bound (Membership) is 90 s. */
  static final Duration FORMED = Duration.ofSeconds(120);
  /** A graceful stop is bounded by 25 s in the node (NodeRunner); a killed JVM is gone in well under this. */
  static final Duration STOP = Duration.ofSeconds(40);
  /** A node leaves the balancer's rotation this long before its SIGTERM (issue 13's rolling restart). */
  static final Duration BALANCER_DRAIN = Duration.ofSeconds(1);
  static final List<String> LISTS = IntStream.range(0, 12).mapToObj(i -> "l" + i).toList();

  /** A fault's schedule, acting on the running cluster. */
  interface Fault {
    void run(Cluster cluster) throws Exception;
  }

  /** How the harness stops a node. */
  enum Stop {
    /** kill -9: no chance to flush, hand off or say goodbye. */
    KILL,
    /** SIGTERM: the node's graceful stop (it hands its lists off and leaves the view), awaited. */
    TERMINATE
  }

  /**
   * A fault and how to judge its run.
   *
   * @param faulted the nodes the fault hits (availability is reported for them and the others)
   * @param staleAllowed the nodes whose stale reads are not held against the service: a node cut
   *     off from the majority may serve a read from memory until it learns it is on the minority
   *     side (a known limit); empty for events that must not produce any stale read
   * @param balanced whether the clients go through a {@link Balancer} (instead of each being bound
   *     to a node); such a run claims that no request failed or ended unknown
   */
  record Scenario(String name, Set<String> faulted, Set<String> staleAllowed, boolean balanced, Fault fault) {
    /** A single fault on the faulted nodes, the smoke matrix's kind: stale reads allowed only there. */
    static Scenario single(String name, Set<String> faulted, Fault fault) {
      return new Scenario(name, faulted, faulted, false, fault);
    }
  }

  /** What one run gives: the history's outcomes, the check, and the timings. */
  record Result(String name, long seed, int nodes, Set<String> staleAllowed, boolean balanced,
      Map<Op.Type, Long> outcomes, CheckResult check, long convergeMs, double availabilityFaulted,
      double availabilityOthers, long ackedAddsAfterFault, Path history, Path events, Path logs) {

    long staleReadsOutside(Set<String> faulted) {
      return outside(Kind.STALE_READ, faulted);
    }

    long staleReadsOutsideAllowed() {
      return staleReadsOutside(staleAllowed);
    }

    /** Reads that lost what an earlier read saw, outside the nodes where stale reads are allowed. */
    long outOfOrderOutsideAllowed() {
      return outside(Kind.NOT_SINGLE_ORDER, staleAllowed);
    }

    private long outside(Kind kind, Set<String> allowed) {
      return check.anomalies().stream().filter(a -> a.kind() == kind && !allowed.contains(a.node())).count();
    }

    /**
     * Everything {@link Matrix#check} asserts is absent, counted: what a run may not have. Stale
     * and out-of-order reads count only outside the nodes the scenario allows them on.
     */
    long violations() {
      return check.count(Kind.LOST_WRITE) + check.count(Kind.DUPLICATE) + check.count(Kind.RESURRECTED_DELETE)
          + check.count(Kind.UNEXPECTED_VALUE) + check.count(Kind.DIVERGENCE) + check.count(Kind.STALE_EPOCH_WRITE)
          + staleReadsOutsideAllowed() + outOfOrderOutsideAllowed() + (balanced ? failedOrUnknown() : 0);
    }

    /** Operations that failed or ended unknown: a balanced run's claim is that there are none. */
    long failedOrUnknown() {
      return outcomes.getOrDefault(Op.Type.FAIL, 0L) + outcomes.getOrDefault(Op.Type.INFO, 0L);
    }
  }

  private Matrix() {
  }

  static Result run(String name, int size, Path dir, Set<String> faulted, Fault fault, long seed) throws Exception {
    return run(Scenario.single(name, faulted, fault), size, dir, seed);
  }

  static Result run(Scenario scenario, int size, Path dir, long seed) throws Exception {
    String name = scenario.name();
    Path kept = Path.of("target", "jepsen");
    Files.createDirectories(kept);
    try (TestNetwork network = TestNetwork.create(size)) {
      Map<String, URI> bases = new LinkedHashMap<>();
      for (int i = 0; i < size; i++) {
        bases.put(Cluster.name(i), NetnsNode.base(network, i));
      }
      Balancer balancer = scenario.balanced() ? new Balancer(bases) : null;
      Cluster cluster = new Cluster(network, dir, balancer);
      Path saved = kept.resolve(name + "-" + seed + ".jsonl");
      History history = new History();
      Clients clients = new Clients(history, bases, LISTS, seed);
      try {
        // n0 first, alone: it becomes the JGroups coordinator, so every fault hits the coordinator,
        // the harder case (the survivors elect a new one and the store reconciles its copies)
        cluster.start(0);
        cluster.awaitReady(0);
        for (int i = 1; i < size; i++) {
          cluster.start(i);
        }
        cluster.awaitReady(cluster.all());
        // The faults are single faults on a formed cluster. A node that did not find n0 in time
        // forms a cluster of its own, which then merges with n0's and settles: a CI run once
        // began its pause while that merge's conflict resolution ran, a double fault (see
        // RELIABILITY.md, "Open: a fault during a merge's conflict resolution").
        cluster.awaitFormed();
        int perNode = size <= 3 ? 3 : 2;
        if (balancer != null) {
          clients.start(size * perNode, balancer);
        } else {
          clients.start(perNode);
        }
        Thread.sleep(10_000); // the schedule: 10 s of load before the fault
        long faultStart = cluster.note("fault " + name + " begins");
        scenario.fault().run(cluster);
        long faultEnd = cluster.note("fault " + name + " ends");
        Thread.sleep(10_000); // and 10 s after it
        clients.stop();
        Files.writeString(kept.resolve(name + "-" + seed + "-errors.txt"), clients.errors());

        long stopped = cluster.note("load stopped; final reads");
        Map<String, Map<String, List<Entry>>> finals = awaitConvergence(cluster.nodes);
        long convergeMs = (System.nanoTime() - stopped) / 1_000_000;
        CheckResult check = Checker.check(history, finals);
        // with the history, the final reads make the run checkable again; the check, every anomaly
        Files.writeString(kept.resolve(name + "-" + seed + "-final.json"), finalsJson(finals).encodePrettily());
        Files.writeString(kept.resolve(name + "-" + seed + "-check.json"),
            check.toJson(Integer.MAX_VALUE).encodePrettily());
        return new Result(name, seed, size, scenario.staleAllowed(), scenario.balanced(), history.outcomes(),
            check, convergeMs,
            availability(history, faultStart, faultEnd, scenario.faulted(), true),
            availability(history, faultStart, faultEnd, scenario.faulted(), false),
            ackedAddsAfter(history, faultEnd), saved, kept.resolve(name + "-" + seed + "-events.txt"),
            kept.resolve(name + "-" + seed + "-logs"));
      } finally {
        // a schedule that failed half-way leaves its clients running: they are stopped, and what they did is kept
        try {
          clients.stop(); // already stopped after a run that went through: returns at once
        } catch (Exception e) {
          log.warn("the clients did not stop: {}", e.toString());
        }
        history.save(saved);
        for (NetnsNode node : cluster.nodes) {
          if (node != null) {
            node.close();
          }
        }
        Files.writeString(kept.resolve(name + "-" + seed + "-events.txt"), String.join("\n", cluster.events) + "\n");
        keepLogs(dir, kept.resolve(name + "-" + seed + "-logs"));
      }
    }
  }

  /**
   * The assertions of every matrix run: nothing acknowledged lost, no duplicate, no resurrected
   * delete, no unexpected value, no divergence, no id handed out twice, no stale or out-of-order
   * read outside the nodes where the scenario allows one; a balanced run saw no failed or unknown request; and writes were acknowledged
   * after the fault, so the final check covers the cluster as it came back.
   */
  static void check(Result run) {
    CheckResult result = run.check();
    log.info("{} (seed {}, {} nodes): outcomes {}, anomalies {}, stale reads by node {}, converged {} ms after the load, "
        + "availability during the fault {} on the faulted nodes and {} on the others, {} adds acknowledged after it; "
        + "history in {}, events in {}, logs in {}", run.name(), run.seed(), run.nodes(), run.outcomes(), result.counts(),
        result.countByNode(Kind.STALE_READ), run.convergeMs(), run.availabilityFaulted(), run.availabilityOthers(),
        run.ackedAddsAfterFault(), run.history(), run.events(), run.logs());
    assertThat(result.count(Kind.LOST_WRITE)).as("lost writes: %s", result.examples(Kind.LOST_WRITE, 5)).isZero();
    assertThat(result.count(Kind.DUPLICATE)).as("duplicates: %s", result.examples(Kind.DUPLICATE, 5)).isZero();
    assertThat(result.count(Kind.RESURRECTED_DELETE)).as("resurrected: %s",
        result.examples(Kind.RESURRECTED_DELETE, 5)).isZero();
    assertThat(result.count(Kind.UNEXPECTED_VALUE)).as("unexpected: %s", result.examples(Kind.UNEXPECTED_VALUE, 5)).isZero();
    assertThat(result.count(Kind.DIVERGENCE)).as("divergence: %s", result.examples(Kind.DIVERGENCE, 5)).isZero();
    assertThat(result.count(Kind.STALE_EPOCH_WRITE)).as("ids handed out twice or a write applied under two ids: %s",
        result.examples(Kind.STALE_EPOCH_WRITE, 5)).isZero();
    assertThat(run.outOfOrderOutsideAllowed()).as("reads that lost what an earlier read saw %s: %s",
        run.staleAllowed().isEmpty() ? "on any node" : "outside " + run.staleAllowed(),
        result.examples(Kind.NOT_SINGLE_ORDER, 5)).isZero();
    assertThat(run.staleReadsOutsideAllowed()).as("stale reads %s: %s",
        run.staleAllowed().isEmpty() ? "on any node" : "outside " + run.staleAllowed(),
        result.examples(Kind.STALE_READ, 5)).isZero();
    if (run.balanced()) {
      assertThat(run.failedOrUnknown()).as("failed and unknown requests of the balanced clients (outcomes %s)",
          run.outcomes()).isZero();
    }
    assertThat(run.ackedAddsAfterFault()).as("adds acknowledged after the fault ended (none: the cluster served no "
        + "write in the load after it, and the final check says nothing about the cluster as it came back)").isPositive();
  }

  /**
   * The running cluster as a fault's schedule sees it: its nodes by index (n0 is 0), the steps
   * the schedules share, and a record of what was done when (on the history's clock).
   */
  static final class Cluster {

    private final TestNetwork network;
    private final Path dir;
    private final Balancer balancer;
    private final NetnsNode[] nodes;
    private final List<String> events = new ArrayList<>();

    private Cluster(TestNetwork network, Path dir, Balancer balancer) {
      this.network = network;
      this.dir = dir;
      this.balancer = balancer;
      this.nodes = new NetnsNode[network.size()];
    }

    static String name(int i) {
      return "n" + i;
    }

    int size() {
      return nodes.length;
    }

    TestNetwork network() {
      return network;
    }

    NetnsNode node(int i) {
      return nodes[i];
    }

    /** Every node's index, in order. */
    int[] all() {
      return IntStream.range(0, nodes.length).toArray();
    }

    /** Records an event of the schedule, with the time on the history's clock (System.nanoTime); returns that time. */
    long note(String event) {
      long now = System.nanoTime();
      synchronized (events) {
        events.add(now + " " + event);
      }
      log.info("schedule: {}", event);
      return now;
    }

    /** Starts node {@code i} from its own data dir (what it stored survives); each run logs to a new file there. */
    void start(int i) throws IOException {
      nodes[i] = NetnsNode.start(network, i, jar(), dir.resolve(name(i)));
      note(name(i) + " started (pid " + nodes[i].pid() + ")");
    }

    /** Starts node {@code i} with an empty data dir, as a replaced machine (the long matrix's kill -9). */
    void startWithEmptyDisk(int i) throws IOException {
      nodes[i] = NetnsNode.start(network, i, jar(), dir.resolve(name(i) + "-empty-" + System.nanoTime()));
      note(name(i) + " started with an empty disk (pid " + nodes[i].pid() + ")");
    }

    /**
     * kill -9 of these nodes from one kill(1), so several are killed as close together as a test can
     * ({@link Nemesis#killAll}); returns once every one of them has exited.
     */
    void kill(int... which) throws Exception {
      Nemesis.killAll(Arrays.stream(which).mapToLong(i -> nodes[i].pid()).toArray());
      note("kill -9 " + names(which));
      for (int i : which) {
        nodes[i].awaitExit(STOP);
      }
    }

    /**
     * SIGTERM, awaited until the JVM exits: the node's graceful stop. Behind a balancer the node
     * leaves the rotation {@link #BALANCER_DRAIN} before (a fixed time by design: the drain
     * period a balancer gives requests already sent).
     */
    void terminate(int i) throws Exception {
      if (balancer != null) {
        balancer.remove(name(i));
        note(name(i) + " out of rotation");
        Thread.sleep(BALANCER_DRAIN.toMillis());
      }
      note("SIGTERM " + name(i));
      int exit = nodes[i].terminate(STOP);
      note(name(i) + " exited " + exit);
    }

    void pause(int i) {
      Nemesis.pause(nodes[i].pid());
      note("SIGSTOP " + name(i));
    }

    void resume(int i) {
      Nemesis.resume(nodes[i].pid());
      note("SIGCONT " + name(i));
    }

    /** Until each of these nodes answers {@code /ready} with 200; behind a balancer each then goes back into rotation. */
    void awaitReady(int... which) throws Exception {
      for (int i : which) {
        try {
          nodes[i].awaitReady(READY);
        } catch (IllegalStateException notReady) {
          dumpThreads();
          throw notReady;
        }
        note(name(i) + " ready");
        if (balancer != null) {
          balancer.add(name(i));
          note(name(i) + " in rotation");
        }
      }
    }

    /**
     * Every live node prints its threads' stacks into its log (kept with the run): a node that
     * never gets ready is most often waiting on another, so all of them are needed.
     */
    void dumpThreads() throws Exception {
      for (int i = 0; i < nodes.length; i++) {
        NetnsNode node = nodes[i];
        if (node != null && node.isAlive()) {
          long before = dumpsIn(node.log());
          Nemesis.threadDump(node.pid());
          await(name(i) + " wrote its thread dump", Duration.ofSeconds(10), Duration.ofMillis(100),
              () -> dumpsIn(node.log()) > before, () -> "(no dump in its log)");
        }
      }
      note("thread dumps of every live node, in their logs");
    }

    /** How many finished thread dumps a log holds (the JVM ends each with its JNI references). */
    private static long dumpsIn(String log) {
      return log.lines().filter(line -> line.startsWith("JNI global refs")).count();
    }

    /** Until node {@code i} answers HTTP at all, whatever the status: it is up, whether it serves or refuses. */
    void awaitAnswering(int i) throws Exception {
      NetnsNode node = nodes[i];
      await(name(i) + " answers HTTP", READY, Duration.ofMillis(100), () -> {
        if (!node.isAlive()) {
          throw new IllegalStateException(name(i) + " exited:\n" + node.log());
        }
        try {
          node.get("/ready");
          return true;
        } catch (IOException notYet) {
          return false;
        }
      }, node::log);
      note(name(i) + " answers HTTP");
    }

    /**
     * One node after the other: stop it, {@code down} of load without it (the schedule: a sleep by
     * design), start it again from its own disk, and await it ready before the next one.
     */
    void restartEach(Stop how, Duration down, int... order) throws Exception {
      for (int i : order) {
        stop(how, i);
        Thread.sleep(down.toMillis());
        start(i);
        awaitReady(i);
      }
    }

    /**
     * Stops these nodes in this order, with {@code between} of load between two stops (the
     * schedule: a sleep by design). Kills with nothing between are one kill(1): a power loss.
     */
    void stopInOrder(Stop how, Duration between, int... order) throws Exception {
      if (how == Stop.KILL && between.isZero()) {
        kill(order);
        return;
      }
      for (int k = 0; k < order.length; k++) {
        if (k > 0) {
          Thread.sleep(between.toMillis());
        }
        stop(how, order[k]);
      }
    }

    /**
     * Starts these nodes in this order, {@code between} apart (the schedule: a sleep by design),
     * then awaits every node of the cluster ready (those started earlier too).
     */
    void startInOrder(Duration between, int... order) throws Exception {
      for (int k = 0; k < order.length; k++) {
        if (k > 0) {
          Thread.sleep(between.toMillis());
        }
        start(order[k]);
      }
      awaitReady(all());
    }

    private void stop(Stop how, int i) throws Exception {
      if (how == Stop.KILL) {
        kill(i);
      } else {
        terminate(i);
      }
    }

    /** Until every node lists all members and answers a read (a settling cluster answers none). */
    void awaitFormed() throws Exception {
      for (NetnsNode node : nodes) {
        await("the cluster formed and serving, as " + name(node.index()) + " sees it", FORMED, Duration.ofMillis(200),
            () -> members(node) == nodes.length && serves(node), node::log);
      }
      note("cluster formed");
    }

    /** Until node {@code observer}'s view has exactly {@code count} members (e.g. the majority has excluded an isolated node). */
    void awaitMembers(int observer, int count) throws Exception {
      NetnsNode node = nodes[observer];
      await(name(observer) + " lists " + count + " members", FORMED, Duration.ofMillis(200),
          () -> members(node) == count, node::log);
      note(name(observer) + " lists " + count + " members");
    }

    /** Each node's log length now, to read only what comes after (see {@link #awaitMergedView}). */
    long[] logOffsets() throws IOException {
      long[] offsets = new long[nodes.length];
      for (int i = 0; i < nodes.length; i++) {
        offsets[i] = nodes[i].logLength();
      }
      return offsets;
    }

    /**
     * Until some node logs a merged view after {@code since} (Infinispan's ISPN000093, logged when
     * the view is installed, just before the store starts its conflict resolution and the node
     * says "merge: serving no list until the store has reconciled its copies"), polled every 20 ms;
     * returns the index of that view's coordinator, its first member (JGroups lists the
     * coordinator first). The log is the source because {@code GET /api/cluster} lists members in
     * no defined order ({@code Membership.members()} is a {@code Set.copyOf}), so its first member
     * is not the coordinator.
     */
    int awaitMergedView(long[] since) throws Exception {
      int coordinator = await("a merged view after the heal", FORMED, Duration.ofMillis(20), () -> {
        for (int i = 0; i < nodes.length; i++) {
          Matcher view = MERGED_VIEW.matcher(nodes[i].logFrom(since[i]));
          if (view.find()) {
            return Integer.valueOf(view.group(1));
          }
        }
        return null;
      }, () -> "");
      note("merged view, coordinator " + name(coordinator));
      return coordinator;
    }

    private static int members(NetnsNode node) throws InterruptedException {
      try {
        var cluster = node.get("/api/cluster");
        return cluster.statusCode() != 200 ? -1 : new JsonObject(cluster.body()).getJsonArray("members").size();
      } catch (IOException notYet) {
        return -1;
      }
    }

    private static boolean serves(NetnsNode node) throws InterruptedException {
      try {
        return node.get("/api/lists/formation-probe/entries").statusCode() == 200;
      } catch (IOException notYet) {
        return false;
      }
    }

    private static String names(int... which) {
      return Arrays.stream(which).mapToObj(Cluster::name).toList().toString();
    }
  }

  /**
   * "ISPN000093: Received new, MERGED cluster view for channel todo-cluster: MergeView::[n1-abc|7] (3)
   * [n1-abc, n2-def, n0-ghi], 2 subgroups: ...": the view id, the member count, then the members,
   * coordinator first, each the node's name and a suffix per run; group 1 is the coordinator's index.
   */
  static final Pattern MERGED_VIEW = Pattern.compile("ISPN000093: .*?\\[[^\\]|]+\\|\\d+\\] \\(\\d+\\) \\[n(\\d+)-");

  /** Polls {@code probe} until it gives something other than null or false. */
  interface Probe<T> {
    T poll() throws Exception;
  }

  /**
   * The harness's one wait for a condition: polls {@code probe} every {@code every} until it gives a
   * value (not null, not false) and returns it; past {@code bound} fails, with {@code diagnosis}
   * (a node's log, say).
   */
  static <T> T await(String what, Duration bound, Duration every, Probe<T> probe, Callable<String> diagnosis)
      throws Exception {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      T value = probe.poll();
      if (value != null && !Boolean.FALSE.equals(value)) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + ": not within " + bound + "\n" + diagnosis.call());
      }
      Thread.sleep(every.toMillis());
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

  /** node -> list -> the entries it read at the end. */
  private static JsonObject finalsJson(Map<String, Map<String, List<Entry>>> finals) {
    JsonObject json = new JsonObject();
    finals.forEach((node, lists) -> {
      JsonObject byList = new JsonObject();
      lists.forEach((list, entries) -> byList.put(list, new Op.Entries(entries).toJson().getJsonArray("entries")));
      json.put(node, byList);
    });
    return json;
  }

  /** Adds invoked after the fault ended and acknowledged. */
  private static long ackedAddsAfter(History history, long time) {
    return history.calls().stream().filter(c -> c.f() == Op.F.ADD && c.ok() && c.invokedAt() > time).count();
  }

  /** Reads every list through every node until all nodes read the same (bounded), and returns those reads. */
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
