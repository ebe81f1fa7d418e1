package io.todocluster.bench;

import io.todocluster.bench.Figure.Goal;
import io.todocluster.bench.LoadGenerator.Request;
import io.todocluster.bench.LoadGenerator.Result;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The book's load test (Elixir in Action, its wrk.lua): a random one of 1,000 lists, 80%
 * {@code GET /entries}, 20% {@code POST /add_entry}, on one node and on three (requests spread over
 * the nodes). The issue sets no baseline or goal; the 3-node run is shown against the 1-node one.
 */
final class BookWorkloadBench implements Benchmark {

  static final int CONCURRENCY = 32;
  static final String DATE = "2018-12-19";

  @Override
  public String name() {
    return "book";
  }

  @Override
  public String title() {
    return "the book's workload: 1,000 lists, 80% GET /entries, 20% POST /add_entry, on 1 and 3 nodes";
  }

  @Override
  public List<Figure> run(BenchContext context) throws Exception {
    int lists = context.size(100, 1_000);
    Result one = measure(context, 1, lists);
    Result three = measure(context, 3, lists);
    String base = "the same on 1 node";
    return List.of(
        Figure.alone(name(), "req/s on 1 node (" + lists + " lists)", one.requestsPerSecond(), "req/s"),
        Figure.alone(name(), "p99 on 1 node", one.percentileMillis(99), "ms"),
        // the book's Elixir system on this machine kind: 0.38-0.39 (issue 14)
        new Figure(name(), "req/s on 3 nodes", three.requestsPerSecond(), "req/s", base, one.requestsPerSecond(),
            Goal.atLeast(0.5)),
        new Figure(name(), "p99 on 3 nodes", three.percentileMillis(99), "ms", base, one.percentileMillis(99),
            Goal.atMost(2)),
        Figure.alone(name(), "errors (1 and 3 nodes)", one.errors() + three.errors(), ""));
  }

  private Result measure(BenchContext context, int nodeCount, int lists) throws Exception {
    List<Jvm> nodes = context.fleet().startCluster("book" + nodeCount + "-", nodeCount, List.of(), List.of());
    AtomicLong sequence = new AtomicLong();
    Result result = BenchContext.await(context.load().run(CONCURRENCY, context.warmup(), context.maxWarmup(), context.window(), nodes, () -> {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      int port = nodes.get((int) (sequence.getAndIncrement() % nodeCount)).httpPort();
      String list = "todo_list_" + random.nextInt(1, lists + 1);
      return random.nextInt(10) < 8
          ? Request.get(port, "/entries?list=" + list + "&date=" + DATE)
          : Request.post(port, "/add_entry?list=" + list + "&date=" + DATE + "&title=Dentist");
    }), context.loadBudget());
    context.progress("[book] %d node(s): %.0f req/s, p99 %.2f ms, %d errors (%s)", nodeCount,
        result.requestsPerSecond(), result.percentileMillis(99), result.errors(), result.warmup());
    context.fleet().stop(nodes);
    return result;
  }
}
