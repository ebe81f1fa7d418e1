package io.todocluster.bench;

import io.todocluster.bench.Figure.Goal;
import io.todocluster.bench.LoadGenerator.Request;
import io.todocluster.bench.LoadGenerator.Result;
import io.todocluster.node.ConfigKeys;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One client, one request at a time, on an idle 3-node cluster, through every node in turn:
 * what a single user waits for a write and for a read. The baseline is the book's Elixir system
 * on this machine kind (issue 14: writes p50 3.0-3.2 ms, stored on every node's file without a
 * sync to disk; reads p50 0.7-1.1 ms); ours is measured at the same durability (the default), and
 * again with {@code --fsync true}, whose cost is reported beside it. The JVMs are first warmed
 * up under the book's load until its rate levels off.
 */
final class LatencyBench implements Benchmark {

  /** The book's system, issue 14 (the upper ends of its ranges). */
  static final double BOOK_WRITE_P50_MS = 3.2;
  static final double BOOK_READ_P50_MS = 1.1;
  static final int LISTS = 30;
  static final String DATE = "2026-12-03";

  @Override
  public String name() {
    return "latency";
  }

  @Override
  public String title() {
    return "one client, one request at a time, idle 3-node cluster, through every node";
  }

  @Override
  public List<Figure> run(BenchContext context) throws Exception {
    Pair plain = measure(context, "lat", List.of());
    Pair synced = measure(context, "latsync", List.of("--" + ConfigKeys.FSYNC, "true"));
    String book = "the book's Elixir system (issue 14)";
    return List.of(
        new Figure(name(), "write p50", plain.writes.percentileMillis(50), "ms", book, BOOK_WRITE_P50_MS, Goal.atMost(1)),
        Figure.alone(name(), "write p99", plain.writes.percentileMillis(99), "ms"),
        new Figure(name(), "read p50", plain.reads.percentileMillis(50), "ms", book, BOOK_READ_P50_MS, Goal.atMost(1)),
        Figure.alone(name(), "read p99", plain.reads.percentileMillis(99), "ms"),
        new Figure(name(), "write p50 with --fsync true", synced.writes.percentileMillis(50), "ms",
            "the same without", plain.writes.percentileMillis(50), null),
        Figure.alone(name(), "errors", plain.writes.errors() + plain.reads.errors() + synced.writes.errors(), ""));
  }

  private record Pair(Result writes, Result reads) {}

  private Pair measure(BenchContext context, String prefix, List<String> args) throws Exception {
    List<Jvm> nodes = context.fleet().startCluster(prefix, 3, List.of(), args);
    AtomicLong sequence = new AtomicLong();
    Supplier<Integer> nextPort = () -> nodes.get((int) (sequence.getAndIncrement() % nodes.size())).httpPort();
    // warm-up: the book's load, so that the JIT has compiled both paths on every node
    Result warm = BenchContext.await(context.load().run(BookWorkloadBench.CONCURRENCY, context.warmup(),
        context.maxWarmup(), Duration.ofSeconds(1), nodes, () -> {
          int port = nextPort.get();
          String list = "warm_" + ThreadLocalRandom.current().nextInt(1_000);
          return ThreadLocalRandom.current().nextInt(10) < 8
              ? Request.get(port, "/entries?list=" + list + "&date=" + DATE)
              : Request.post(port, "/add_entry?list=" + list + "&date=" + DATE + "&title=Dentist");
        }), context.loadBudget());
    Result writes = BenchContext.await(context.load().run(1, Duration.ofSeconds(1), Duration.ofSeconds(1),
        context.window(), () -> {
          long n = sequence.get(); // the list changes every third request, so every list is asked through every node
          return Request.post(nextPort.get(), "/add_entry?list=lat_" + (n / 3 % LISTS) + "&date=" + DATE + "&title=Dentist");
        }), context.loadBudget());
    Result reads = BenchContext.await(context.load().run(1, Duration.ofSeconds(1), Duration.ofSeconds(1),
        context.window(), () -> {
          long n = sequence.get();
          return Request.get(nextPort.get(), "/entries?list=lat_" + (n / 3 % LISTS) + "&date=" + DATE);
        }), context.loadBudget());
    context.progress("[latency] %s: write p50 %.2f ms p99 %.2f ms, read p50 %.2f ms p99 %.2f ms, %d errors (%s)",
        args.isEmpty() ? "default" : String.join(" ", args), writes.percentileMillis(50), writes.percentileMillis(99),
        reads.percentileMillis(50), reads.percentileMillis(99), writes.errors() + reads.errors() + warm.errors(),
        warm.warmup());
    context.fleet().stop(nodes);
    return new Pair(writes, reads);
  }
}
