package io.todocluster.node;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Notices that this JVM was frozen (SIGSTOP, a stop-the-world pause, a suspended VM) for longer
 * than the cluster's failure detector tolerates. Such a node has probably been declared dead and
 * its processes restarted elsewhere, but it wakes up believing in its old view, with stale state,
 * and the store would treat its copies as current when the views merge (Infinispan prefers the
 * larger old view). Like a lease that expired, the only safe move is to stop serving at once and
 * rejoin as a new incarnation, which then receives the current state from the others.
 */
public final class FreezeWatchdog {

  /** How often the clock is read; the gap it can see is this plus the freeze. */
  private static final long TICK_MS = 100;

  /**
   * Our failure detector (todo-jgroups.xml) suspects a member after 3 s without a heartbeat, and
   * heartbeats go out every second: a freeze of 2 s can already get a node expelled.
   */
  public static final Duration TOLERATED = Duration.ofSeconds(2);

  private final Vertx vertx;
  private final Consumer<Duration> onFreeze;
  private long timer = -1;
  private volatile long last = System.nanoTime();

  public FreezeWatchdog(Vertx vertx, Consumer<Duration> onFreeze) {
    this.vertx = vertx;
    this.onFreeze = onFreeze;
  }

  public void start() {
    last = System.nanoTime();
    timer = vertx.setPeriodic(TICK_MS, id -> {
      long now = System.nanoTime();
      Duration gap = Duration.ofNanos(now - last);
      last = now;
      if (gap.compareTo(TOLERATED) > 0) {
        vertx.cancelTimer(timer);
        onFreeze.accept(gap);
      }
    });
  }

  /**
   * Whether this node may have been frozen past what the cluster tolerates, checked at the moment
   * of asking. After a freeze, requests that queued meanwhile run as soon as the JVM resumes, on
   * every event loop at once, possibly before the periodic check fires: this is the lease each
   * request checks, so that none of them is served from stale memory.
   */
  public boolean mayBeStale() {
    return System.nanoTime() - last > TOLERATED.toNanos();
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
