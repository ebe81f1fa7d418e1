package io.todocluster.bench;

import io.todocluster.bench.Figure.Goal;
import io.todocluster.bench.LoadGenerator.Request;
import io.todocluster.bench.LoadGenerator.Result;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * POST entries on 3 nodes (requests spread over them, lists spread by placement) against raw
 * synchronous Infinispan puts of the same size on {@code todo-entries}, made by a member of a
 * 3-member cluster on the same stack and cache configuration, from as many threads as requests
 * in flight. The baseline's cluster runs after ours, not beside it: two clusters at once on
 * 2 cores would measure each other.
 */
final class WritePathBench implements Benchmark {

  /** Requests in flight (and baseline threads). */
  static final int CONCURRENCY = 16;
  /** Lists written to: many owners' worth, so that the load is not one process's queue. */
  static final int LISTS = 100;
  static final Pattern RESULT = Pattern.compile(RawPuts.RESULT + " ok=(\\d+) seconds=(\\S+) p50us=(\\d+) p99us=(\\d+)");

  @Override
  public String name() {
    return "write";
  }

  @Override
  public String title() {
    return "write path: POST entries on 3 nodes vs raw synchronous Infinispan puts on the same kind of cluster";
  }

  @Override
  public List<Figure> run(BenchContext context) throws Exception {
    List<Jvm> nodes = context.fleet().startCluster("w", 3, List.of(), List.of());
    String entry = "{\"date\":\"2026-11-22\",\"title\":\"Dentist\"}";
    int entryBytes = nodes.get(0).postJson("/api/lists/w-0/entries", entry).body().length();
    AtomicLong sequence = new AtomicLong();
    Result ours = BenchContext.await(context.load().run(CONCURRENCY, context.warmup(), context.maxWarmup(), context.window(), nodes, () -> {
      long n = sequence.getAndIncrement();
      return Request.postJson(nodes.get((int) (n % 3)).httpPort(), "/api/lists/w-" + (n % LISTS) + "/entries", entry);
    }), context.loadBudget());
    context.progress("[write] ours: %.0f req/s, p50 %.2f ms, p99 %.2f ms, %d errors (%s)", ours.requestsPerSecond(),
        ours.percentileMillis(50), ours.percentileMillis(99), ours.errors(), ours.warmup());
    context.fleet().stop(nodes);

    List<Jvm> members = HaBaseline.startMembers(context.fleet(), "puts", "puts", false, 3, List.of("drive=false",
        "drive=false", "drive=true peers=" + HaBaseline.PEERS_TOKEN + " members=3 threads=" + CONCURRENCY + " bytes=" + entryBytes
            + " warmupMs=" + context.warmup().toMillis() + " maxWarmupMs=" + context.maxWarmup().toMillis()
            + " windowMs=" + context.window().toMillis()));
    String line = members.get(2).awaitLine(Pattern.compile("(" + RESULT.pattern() + ")"),
        context.loadBudget().plus(Duration.ofSeconds(30)));
    Matcher m = RESULT.matcher(line);
    if (!m.find()) {
      throw new IllegalStateException("unreadable result: " + line);
    }
    double putsPerSecond = Long.parseLong(m.group(1)) / Double.parseDouble(m.group(2));
    double p50 = Long.parseLong(m.group(3)) / 1000.0;
    double p99 = Long.parseLong(m.group(4)) / 1000.0;
    context.progress("[write] raw puts: %.0f puts/s, p50 %.2f ms, p99 %.2f ms", putsPerSecond, p50, p99);
    context.fleet().stop(members);
    String base = "sync Infinispan put, " + entryBytes + " B, " + CONCURRENCY + " threads";
    return List.of(
        new Figure(name(), "POST entries req/s (3 nodes, " + CONCURRENCY + " in flight)", ours.requestsPerSecond(),
            "req/s", base, putsPerSecond, Goal.atLeast(0.5)),
        new Figure(name(), "POST entries p50 latency", ours.percentileMillis(50), "ms", base, p50, null),
        new Figure(name(), "POST entries p99 latency", ours.percentileMillis(99), "ms", base, p99, null),
        Figure.alone(name(), "POST entries errors", ours.errors(), ""));
  }
}
