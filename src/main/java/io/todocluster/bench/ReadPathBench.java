package io.todocluster.bench;

import io.todocluster.bench.Figure.Goal;
import io.todocluster.bench.LoadGenerator.Request;
import io.todocluster.bench.LoadGenerator.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * GET /api/lists/{list}/entries on one node (the list's process is local) against a plain Vert.x
 * Web route answering a body of the same size from its own JVM of the same kind. The two loads
 * alternate (ours, baseline, baseline, ours ...) so that a drift in the machine's load hits both.
 */
final class ReadPathBench implements Benchmark {

  static final String LIST = "bench-read";
  /** Ten entries: a list a person actually keeps, about half a kilobyte of JSON. */
  static final int ENTRIES = 10;
  /** Requests in flight: enough to keep 2 cores busy without queueing most of the latency. */
  static final int CONCURRENCY = 32;

  @Override
  public String name() {
    return "read";
  }

  @Override
  public String title() {
    return "read path: GET entries on one node vs a plain Vert.x Web route of the same body size";
  }

  @Override
  public List<Figure> run(BenchContext context) throws Exception {
    JvmFleet fleet = context.fleet();
    Jvm node = fleet.startNode("read1", Ports.freeClusterPort(), List.of(), List.of(), List.of());
    node.awaitReady(JvmFleet.READY_BOUND);
    for (int i = 0; i < ENTRIES; i++) {
      int status = node.postJson("/api/lists/" + LIST + "/entries",
          "{\"date\":\"2026-11-22\",\"title\":\"Dentist appointment " + i + "\"}").statusCode();
      if (status != 201) {
        throw new IllegalStateException("POST answered " + status);
      }
    }
    String uri = "/api/lists/" + LIST + "/entries";
    int bodyBytes = node.get(uri).body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    int baselinePort = Ports.free();
    Jvm baseline = fleet.startMain("read-baseline", BaselineServer.class, baselinePort, 0,
        List.of(Integer.toString(baselinePort), Integer.toString(bodyBytes)));
    baseline.awaitReady(JvmFleet.READY_BOUND);
    context.progress("[read] node and baseline up, body %d bytes", bodyBytes);

    // a first full run measured our node at 17k req/s in its first window and 28k in its last: the
    // node's longer code path needs more JIT warm-up than the baseline's, so both get one first
    Duration jitWarmup = Duration.ofSeconds(context.size(1, 10));
    for (int port : new int[] {node.httpPort(), baselinePort}) {
      BenchContext.await(context.load().run(CONCURRENCY, jitWarmup, Duration.ofMillis(100), () -> Request.get(port, uri)),
          jitWarmup.plus(Duration.ofSeconds(30)));
    }
    int rounds = context.size(1, 2);
    List<Result> ours = new ArrayList<>();
    List<Result> theirs = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      boolean oursFirst = round % 2 == 0;
      for (int turn = 0; turn < 2; turn++) {
        boolean measureOurs = (turn == 0) == oursFirst;
        int port = measureOurs ? node.httpPort() : baselinePort;
        Result result = BenchContext.await(context.load().run(CONCURRENCY, context.warmup(), context.window(),
            () -> Request.get(port, uri)), context.window().plus(context.warmup()).plus(Duration.ofSeconds(30)));
        (measureOurs ? ours : theirs).add(result);
        context.progress("[read] %s: %.0f req/s, p99 %.2f ms, %d errors", measureOurs ? "ours" : "baseline",
            result.requestsPerSecond(), result.percentileMillis(99), result.errors());
      }
    }
    fleet.stop(List.of(node, baseline));
    String base = "plain Vert.x Web route, " + bodyBytes + " B body";
    return List.of(
        new Figure(name(), "GET entries req/s (1 node, " + CONCURRENCY + " in flight)", meanRate(ours), "req/s",
            base, meanRate(theirs), Goal.atLeast(0.7)),
        new Figure(name(), "GET entries p99 latency", meanP99(ours), "ms", base, meanP99(theirs), null),
        Figure.alone(name(), "GET entries errors", ours.stream().mapToLong(Result::errors).sum(), ""));
  }

  static double meanRate(List<Result> results) {
    return results.stream().mapToDouble(Result::requestsPerSecond).average().orElse(Double.NaN);
  }

  static double meanP99(List<Result> results) {
    return results.stream().mapToDouble(r -> r.percentileMillis(99)).average().orElse(Double.NaN);
  }
}
