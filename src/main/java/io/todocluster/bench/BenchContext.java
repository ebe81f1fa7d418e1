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

  /** A warm-up before every measured load: JIT and connection set-up (1 s in --quick, 3 s in full). */
  Duration warmup() {
    return Duration.ofSeconds(quick ? 1 : 3);
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
