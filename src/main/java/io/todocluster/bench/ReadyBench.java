package io.todocluster.bench;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Whether ready means serving (issue 13): the moment the last of 3 nodes reports {@code /ready}
 * 200 and the cluster lists all three, 150 writers (3 per list, one through each node) each POST
 * one entry to 50 lists never used before, all at once. Baseline: the same 150 writes again, on
 * the same lists, now warm. A write that fails, is refused, or takes over 5 s counts as unanswered.
 */
final class ReadyBench implements Benchmark {

  static final int LISTS = 50;
  static final int WRITERS_PER_LIST = 3;
  static final long ANSWER_BOUND_MS = 5_000;

  @Override
  public String name() {
    return "ready";
  }

  @Override
  public String title() {
    return "ready means serving: first writes to fresh lists the moment 3 nodes are ready, vs the same writes warm";
  }

  @Override
  public List<Figure> run(BenchContext context) throws Exception {
    List<Jvm> nodes = context.fleet().startCluster("rd", 3, List.of(), List.of());
    Round first;
    Round warm;
    ExecutorService writers = Executors.newFixedThreadPool(LISTS * WRITERS_PER_LIST);
    try {
      first = round(writers, nodes, "first");
      warm = round(writers, nodes, "warm");
    } finally {
      writers.shutdownNow();
    }
    context.progress("[ready] first writes: p50 %.1f ms, max %.1f ms, %d unanswered; warm: p50 %.1f ms, max %.1f ms",
        first.percentile(50), first.max(), first.unanswered(), warm.percentile(50), warm.max());
    context.fleet().stop(nodes);
    String base = "the same writes on the same lists, warm";
    return List.of(
        new Figure(name(), "first write to a fresh list right after ready, p50", first.percentile(50), "ms", base,
            warm.percentile(50), null),
        new Figure(name(), "first write to a fresh list right after ready, max", first.max(), "ms", base, warm.max(), null),
        Figure.alone(name(), "first writes unanswered within 5 s (of " + LISTS * WRITERS_PER_LIST + ")",
            first.unanswered(), ""));
  }

  /** Latencies of one round, in ms; an unanswered write counts at the bound. */
  record Round(double[] millis, int unanswered) {
    double percentile(int p) {
      double[] sorted = millis.clone();
      Arrays.sort(sorted);
      return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    double max() {
      return Arrays.stream(millis).max().orElse(0);
    }
  }

  private static Round round(ExecutorService writers, List<Jvm> nodes, String tag) throws Exception {
    List<Future<Double>> writes = new ArrayList<>();
    for (int list = 0; list < LISTS; list++) {
      for (int w = 0; w < WRITERS_PER_LIST; w++) {
        Jvm node = nodes.get(w % nodes.size());
        String path = "/api/lists/ready-" + list + "/entries";
        String body = "{\"date\":\"2026-12-02\",\"title\":\"" + tag + "-" + w + "\"}";
        writes.add(writers.submit(() -> {
          long start = System.nanoTime();
          HttpResponse<String> response;
          try {
            response = node.postJson(path, body);
          } catch (java.io.IOException failed) {
            return Double.NaN;
          }
          double ms = (System.nanoTime() - start) / 1e6;
          return response.statusCode() / 100 == 2 && ms <= ANSWER_BOUND_MS ? ms : Double.NaN;
        }));
      }
    }
    double[] millis = new double[writes.size()];
    int unanswered = 0;
    for (int i = 0; i < writes.size(); i++) {
      double ms = writes.get(i).get();
      if (Double.isNaN(ms)) {
        unanswered++;
        ms = ANSWER_BOUND_MS;
      }
      millis[i] = ms;
    }
    return new Round(millis, unanswered);
  }
}
