package io.todocluster.bench;

import io.todocluster.bench.Figure.Goal;
import io.todocluster.bench.LoadGenerator.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Heap bytes per live idle list process on one node: the live heap (jcmd GC.class_histogram, after
 * its full GC) before and after spawning N processes by a GET of N fresh lists, divided by N, and
 * which classes grew; and the spawn rate as seen through HTTP. The anchor is an Erlang process (2,616 bytes, the
 * issue's figure), the goal half of it.
 */
final class ProcessCostBench implements Benchmark {

  /** The anchor: the size of an Erlang process. */
  static final double ERLANG_PROCESS_BYTES = 2_616;
  static final int CONCURRENCY = 64;
  /**
   * 1,000,000 idle lists at the ~2.8 KB each measured (8.9 KB before the mailbox change), and the
   * node's own ~100 MB: 6 GB, reserved at start so that the heap's growth costs no full GC. ParallelGC, not the nodes' SerialGC: a serial
   * full GC of ~800 MB took 3.7 s here, longer than the node's freeze tolerance (FreezeWatchdog,
   * 3.5 s), and the node then abandoned its processes and exited. Object sizes do not depend on
   * the collector.
   */
  static final List<String> HEAP = List.of("-Xms6g", "-Xmx6g", "-XX:+UseParallelGC");
  /** GC pauses in the node's log: a full run saw the node frozen ~6 s at ~50,000 processes. */
  static final String GC_LOG = "-Xlog:gc";
  /** Vert.x's warning when an event loop or worker thread has not come back in time. */
  static final java.util.regex.Pattern BLOCKED = java.util.regex.Pattern.compile("has been blocked for");

  /** How many of the classes that grew most are shown: enough to see where the bytes go. */
  static final int TOP_CLASSES = Integer.getInteger("todo.bench.topClasses", 10);

  @Override
  public String name() {
    return "processes";
  }

  @Override
  public String title() {
    return "process cost: heap bytes per idle list process and spawn rate on one node";
  }

  @Override
  public List<Figure> run(BenchContext context) throws Exception {
    List<Integer> checkpoints = context.quick() ? List.of(2_000, 5_000) : List.of(100_000, 1_000_000);
    Jvm node = context.fleet().startNode("proc1", Ports.freeClusterPort(), List.of(), concat(HEAP, GC_LOG),
        List.of("--idle-timeout", "60m"));
    node.awaitReady(JvmFleet.READY_BOUND);
    spawn(context, node, "warm-", 0, 1_000); // JIT and the caches' first growth are not per-process costs
    // GC.class_histogram runs a full GC first: its total is the live heap, one pause per checkpoint
    Map<String, Long> classesBefore = ClassHistogram.parse(jcmd(node, "GC.class_histogram"));
    long before = ClassHistogram.total(classesBefore);
    // spawned in steps, measured at each: a node that fails on the way still tells how far it got
    int reached = 0;
    long after = before;
    double spawnSeconds = 0;
    Map<String, Long> classesAfter = classesBefore;
    List<Figure> perCheckpoint = new ArrayList<>();
    String failure = null;
    for (int target : checkpoints) {
      try {
        long started = System.nanoTime();
        spawn(context, node, "p-", reached, target);
        spawnSeconds += (System.nanoTime() - started) / 1e9;
        classesAfter = ClassHistogram.parse(jcmd(node, "GC.class_histogram"));
        after = ClassHistogram.total(classesAfter);
        reached = target;
        perCheckpoint.add(new Figure(name(), "heap per idle list process at " + reached + " processes",
            (after - before) / (double) reached, "B", "an Erlang process (constant, from the issue)",
            ERLANG_PROCESS_BYTES, Goal.atMost(0.5)));
        context.progress("[processes] %d spawned (%.0f /s so far), heap %d MB -> %d MB, %.0f B each", reached,
            reached / spawnSeconds, before >> 20, after >> 20, (after - before) / (double) reached);
      } catch (Exception e) {
        failure = e.getMessage() + (node.isAlive() ? "" : " (the node exited; its log: " + node.log() + ")");
        context.progress("[processes] failed on the way to %d: %s", target, failure);
        break;
      }
    }
    int live = node.isAlive() ? FailoverBench.processesOn(node, node.name()) : -1;
    long blocked = node.allLines(BLOCKED).size();
    context.fleet().stop(List.of(node));
    if (reached == 0) {
      throw new IllegalStateException("no checkpoint reached: " + failure);
    }
    List<Figure> figures = new ArrayList<>(perCheckpoint);
    figures.addAll(List.of(
        new Figure(name(), "spawn rate (GET of a fresh list, " + CONCURRENCY + " in flight)", reached / spawnSeconds,
            "/s", "the issue's goal", 100_000, Goal.atLeast(1.0)),
        Figure.alone(name(), "live list processes at the end (-1: node gone or no count)", live, ""),
        new Figure(name(), "blocked-thread warnings in the node's log while spawning", blocked, "",
            "the issue's goal: none (ratio to 1)", 1, Goal.atMost(0))));
    if (failure != null) {
      figures.add(Figure.alone(name(), "FAILED past " + reached + ": " + failure.lines().findFirst().orElse(""),
          Double.NaN, ""));
    }
    // what the bytes are: the classes that grew most, per process
    for (Map.Entry<String, Long> grown : ClassHistogram.topGrowth(classesBefore, classesAfter, TOP_CLASSES)) {
      figures.add(Figure.alone(name(), "of which " + grown.getKey(), grown.getValue() / (double) reached, "B"));
    }
    return figures;
  }

  /** GETs lists prefix{from}..prefix{to - 1}: each starts its process. */
  private static void spawn(BenchContext context, Jvm node, String prefix, int from, int to) throws Exception {
    int count = to - from;
    List<Request> requests = new ArrayList<>(count);
    for (int i = from; i < to; i++) {
      requests.add(Request.get(node.httpPort(), "/api/lists/" + prefix + i + "/entries"));
    }
    Fanout.Outcome[] outcomes = BenchContext.await(Fanout.send(context.vertx(), requests, CONCURRENCY, 30_000),
        Duration.ofMinutes(10));
    long failed = Arrays.stream(outcomes).filter(o -> !o.ok()).count();
    if (failed > 0) {
      throw new IllegalStateException(failed + " of " + count + " spawns failed");
    }
  }

  private static List<String> concat(List<String> flags, String flag) {
    List<String> all = new ArrayList<>(flags);
    all.add(flag);
    return all;
  }

  private static String jcmd(Jvm node, String command) throws Exception {
    Process jcmd = new ProcessBuilder("jcmd", Long.toString(node.pid()), command).redirectErrorStream(true).start();
    String output = new String(jcmd.getInputStream().readAllBytes());
    if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + command + " failed: " + output);
    }
    return output;
  }
}
