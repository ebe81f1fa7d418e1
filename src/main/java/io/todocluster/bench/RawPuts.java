package io.todocluster.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.infinispan.Cache;
import org.infinispan.manager.DefaultCacheManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-path baseline: synchronous puts of a value the size of a stored entry on
 * {@code todo-entries} (same config as the nodes': 2 owners, write-through file store), from as
 * many threads as the HTTP load has requests in flight, timed like the HTTP load.
 */
final class RawPuts {

  private static final Logger LOG = LoggerFactory.getLogger(RawPuts.class);
  static final String RESULT = "PUTS-RESULT";
  /** Waiting for the other members to join: they are started together with this one. */
  static final long JOIN_BOUND_MS = 60_000;

  private RawPuts() {}

  static void drive(DefaultCacheManager cacheManager, Map<String, String> a) throws Exception {
    int members = Integer.parseInt(a.getOrDefault("members", "3"));
    long deadline = System.currentTimeMillis() + JOIN_BOUND_MS;
    while (cacheManager.getMembers().size() < members && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    Cache<String, String> cache = cacheManager.getCache("todo-entries");
    int threads = Integer.parseInt(a.getOrDefault("threads", "16"));
    Duration minWarmup = Duration.ofMillis(Long.parseLong(a.getOrDefault("warmupMs", "2000")));
    Duration maxWarmup = Duration.ofMillis(Long.parseLong(a.getOrDefault("maxWarmupMs", a.getOrDefault("warmupMs", "2000"))));
    Duration window = Duration.ofMillis(Long.parseLong(a.getOrDefault("windowMs", "5000")));
    String value = "x".repeat(Integer.parseInt(a.getOrDefault("bytes", "60")));
    Histogram latencies = new ConcurrentHistogram(1_000, TimeUnit.SECONDS.toNanos(60), 3);
    AtomicLong ok = new AtomicLong();
    // the same warm-up as the load it is the baseline of: level, and the members' JIT quiet
    List<Long> peers = Arrays.stream(a.getOrDefault("peers", "").split(",")).filter(p -> !p.isBlank())
        .map(Long::parseLong).toList();
    Warmup warmup = new Warmup(minWarmup, maxWarmup, window, JitActivity.ofPids(peers));
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread worker = new Thread(() -> {
        for (long i = 0; ; i++) {
          long began = System.nanoTime();
          if (warmup.over(began)) {
            return;
          }
          // 100 lists per thread, keys grouped by list like the nodes' entries
          cache.put("bench-" + thread + "-" + (i % 100) + "/" + i, value);
          long ended = System.nanoTime();
          warmup.completed();
          if (warmup.counts(began, ended)) {
            ok.incrementAndGet();
            latencies.recordValue(Math.max(1_000, ended - began));
          }
        }
      }, "raw-puts-" + t);
      worker.start();
      workers.add(worker);
    }
    while (!warmup.measuring()) {
      Thread.sleep(Warmup.SLICE.toMillis());
      warmup.tick();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    LOG.info("{} ok={} seconds={} p50us={} p99us={} ({})", RESULT, ok.get(), window.toNanos() / 1e9,
        latencies.getValueAtPercentile(50) / 1000, latencies.getValueAtPercentile(99) / 1000, warmup.describe());
  }
}
