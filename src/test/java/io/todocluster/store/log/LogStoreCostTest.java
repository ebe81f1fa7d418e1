package io.todocluster.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.infinispan.Cache;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.manager.DefaultCacheManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a write costs through a local cache on the log store, with and without fsync, one writer and
 * 32 (and on the soft-index file store, for scale): prints latency percentiles, throughput and
 * writes per fsync. A measurement, not a check (no timing assertion); run it with
 * {@code -Dtodo.logstore.cost=true}.
 */
@DisplayName("The cost of a write to the log store")
@EnabledIfSystemProperty(named = "todo.logstore.cost", matches = "true")
class LogStoreCostTest {

  private static final Logger log = LoggerFactory.getLogger(LogStoreCostTest.class);
  private static final int WRITES = 10_000;
  private static final int WARM_UP = 2_000;
  private static final String VALUE = "{\"id\":1,\"date\":\"2026-12-01\",\"title\":\"Dentist\",\"version\":12}";

  @TempDir
  Path dir;

  /** The log store with and without sync, and the soft-index file store it replaced, for scale. */
  @ParameterizedTest(name = "{0} store, sync={1}, concurrency={2}")
  @CsvSource({"log, false, 1", "log, false, 32", "log, true, 1", "log, true, 32", "sifs, false, 1", "sifs, false, 32"})
  @DisplayName("10,000 small puts")
  void measure(String store, boolean sync, int concurrency) throws Exception {
    GlobalConfigurationBuilder global = new GlobalConfigurationBuilder().nonClusteredDefault();
    global.globalState().enable().persistentLocation(dir.toString());
    ConfigurationBuilder config = new ConfigurationBuilder();
    if (store.equals("log")) {
      config.persistence().passivation(false).addStore(LogStoreConfigurationBuilder.class).sync(sync);
    } else {
      config.persistence().passivation(false).addSoftIndexFileStore(); // no fsync per write
    }
    DefaultCacheManager manager = new DefaultCacheManager(global.build());
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      manager.defineConfiguration("cost", config.build());
      Cache<String, String> cache = manager.getCache("cost");
      run(cache, pool, concurrency, "warm-", WARM_UP);
      AppendLog appendLog = store.equals("log") ? LogStoreCacheTest.store(cache).appendLog() : null;
      long syncsBefore = appendLog == null ? 0 : appendLog.syncs();
      long began = System.nanoTime();
      long[] latencies = run(cache, pool, concurrency, "k-", WRITES);
      double seconds = (System.nanoTime() - began) / 1e9;
      long syncs = appendLog == null ? 0 : appendLog.syncs() - syncsBefore;
      Arrays.sort(latencies);
      String line = String.format("%s store, sync=%s, concurrency %d: %d puts in %.2f s = %.0f puts/s; "
          + "latency mean %.3f ms, p50 %.3f ms, p99 %.3f ms, max %.3f ms; %d fsyncs (%.1f puts per fsync)",
          store, sync, concurrency, WRITES, seconds, WRITES / seconds,
          Arrays.stream(latencies).average().orElse(0) / 1e6, latencies[WRITES / 2] / 1e6,
          latencies[WRITES * 99 / 100] / 1e6, latencies[WRITES - 1] / 1e6, syncs,
          syncs == 0 ? 0.0 : (double) WRITES / syncs);
      log.info(line);
      System.out.println(line);
      assertThat(cache.get("k-" + (WRITES - 1))).isEqualTo(VALUE);
    } finally {
      pool.shutdownNow();
      manager.stop();
    }
  }

  /** {@code count} puts shared by {@code concurrency} threads; the latency of each, in nanoseconds. */
  private static long[] run(Cache<String, String> cache, ExecutorService pool, int concurrency, String prefix,
      int count) throws Exception {
    long[] latencies = new long[count];
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < concurrency; t++) {
      int first = t;
      done.add(pool.submit(() -> {
        for (int i = first; i < count; i += concurrency) {
          long start = System.nanoTime();
          cache.put(prefix + i, VALUE);
          latencies[i] = System.nanoTime() - start;
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    return latencies;
  }
}
