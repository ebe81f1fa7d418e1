package io.todocluster.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** What every benchmark shares: the fleet of JVMs, the load generator, the pace, the progress output. */
final class BenchContext {

  private final JvmFleet fleet;
  private final Vertx vertx;
  private final LoadGenerator load;
  private final boolean quick;
  private final PrintWriter out;

  BenchContext(JvmFleet fleet, Vertx vertx, boolean quick, PrintWriter out) {
    this.fleet = fleet;
    this.vertx = vertx;
    this.load = new LoadGenerator(vertx);
    this.quick = quick;
    this.out = out;
  }

  JvmFleet fleet() {
    return fleet;
  }

  /** The bench's own Vert.x (clients only). */
  Vertx vertx() {
    return vertx;
  }

  LoadGenerator load() {
    return load;
  }

  boolean quick() {
    return quick;
  }

  /**
   * The least warm-up before every measured load: JIT and connection set-up (1 s in --quick, 60 s
   * in full: three fresh node JVMs on 2 cores under the book's load climbed for about 90 s, from
   * 660 to 1,880 req/s in 10 s steps, with dips on the way that a shorter rule took for a plateau).
   */
  Duration warmup() {
    return Duration.ofSeconds(quick ? 1 : 60);
  }

  /** The most: a load is warmed up until its rate levels off ({@link Warmup}), 5 s in --quick, 120 s in full. */
  Duration maxWarmup() {
    return Duration.ofSeconds(quick ? 5 : 120);
  }

  /** How long a measured load may take in all. */
  Duration loadBudget() {
    return Warmup.budget(maxWarmup(), window());
  }

  /** A measured load window (2 s in --quick, 10 s in full). */
  Duration window() {
    return Duration.ofSeconds(quick ? 2 : 10);
  }

  /** The quick or the full size of something (lists, processes, rounds). */
  int size(int quickSize, int fullSize) {
    return quick ? quickSize : fullSize;
  }

  void progress(String format, Object... args) {
    out.println(Instant.now() + "  " + String.format(format, args));
    out.flush();
  }

  /** Blocks the bench's own thread (never an event loop) on a future, with a bound. */
  static <T> T await(Future<T> future, Duration bound) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(bound.toMillis(), TimeUnit.MILLISECONDS);
  }
}
