package io.todocluster.bench;

import io.todocluster.bench.Figure.Goal;
import io.todocluster.bench.LoadGenerator.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap bytes per live idle list process on one node: the heap used after a full GC (jcmd GC.run,
 * then GC.heap_info) before and after spawning N processes by a GET of N fresh lists, divided by
 * N; and the spawn rate as seen through HTTP. The anchor is an Erlang process (2,616 bytes, the
 * issue's figure), the goal half of it.
 */
final class ProcessCostBench implements Benchmark {

  /** The anchor: the size of an Erlang process. */
  static final double ERLANG_PROCESS_BYTES = 2_616;
  static final int CONCURRENCY = 64;
  /** SerialGC's heap_info: "def new generation total 78656K, used 1234K" and "tenured generation total ..., used ...". */
  static final Pattern USED = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K");
  /** 100,000 idle lists at the ~8.4 KB each a --quick run measured, and the node's own ~100 MB: 2 GB leaves room. */
  static final String HEAP = "-Xmx2g";

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
    int processes = context.size(5_000, 100_000);
    Jvm node = context.fleet().startNode("proc1", Ports.freeClusterPort(), List.of(), List.of(HEAP),
        List.of("--idle-timeout", "60m"));
    node.awaitReady(JvmFleet.READY_BOUND);
    spawn(context, node, "warm-", 1_000); // JIT and the caches' first growth are not per-process costs
    long before = heapUsedAfterGc(node);
    long started = System.nanoTime();
    spawn(context, node, "p-", processes);
    double seconds = (System.nanoTime() - started) / 1e9;
    long after = heapUsedAfterGc(node);
    int live = FailoverBench.processesOn(node, node.name());
    context.progress("[processes] %d spawned in %.1f s, %d live; heap %d MB -> %d MB", processes, seconds, live,
        before >> 20, after >> 20);
    context.fleet().stop(List.of(node));
    double perProcess = (after - before) / (double) processes;
    return List.of(
        new Figure(name(), "heap per idle list process at " + processes + " processes", perProcess, "B",
            "an Erlang process (constant, from the issue)", ERLANG_PROCESS_BYTES, Goal.atMost(0.5)),
        new Figure(name(), "spawn rate (GET of a fresh list, " + CONCURRENCY + " in flight)", processes / seconds,
            "/s", "the issue's goal", 100_000, Goal.atLeast(1.0)),
        Figure.alone(name(), "live list processes after spawning", live, ""));
  }

  private static void spawn(BenchContext context, Jvm node, String prefix, int count) throws Exception {
    List<Request> requests = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      requests.add(Request.get(node.httpPort(), "/api/lists/" + prefix + i + "/entries"));
    }
    Fanout.Outcome[] outcomes = BenchContext.await(Fanout.send(context.vertx(), requests, CONCURRENCY, 30_000),
        Duration.ofMinutes(10));
    long failed = java.util.Arrays.stream(outcomes).filter(o -> !o.ok()).count();
    if (failed > 0) {
      throw new IllegalStateException(failed + " of " + count + " spawns failed");
    }
  }

  /** Heap in use after a full GC, in bytes (young + tenured of SerialGC). */
  static long heapUsedAfterGc(Jvm node) throws Exception {
    jcmd(node, "GC.run");
    String info = jcmd(node, "GC.heap_info");
    Matcher m = USED.matcher(info);
    long kb = 0;
    int found = 0;
    while (m.find()) {
      kb += Long.parseLong(m.group(1));
      found++;
    }
    if (found < 2) {
      throw new IllegalStateException("unexpected GC.heap_info: " + info);
    }
    return kb * 1024;
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
