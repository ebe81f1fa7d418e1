package io.todocluster.node;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Notices that this JVM was frozen (SIGSTOP, a stop-the-world pause, a suspended VM) for longer
 * than the cluster's failure detector tolerates. Such a node has probably been declared dead and
 * its processes restarted elsewhere, but it wakes up believing in its old view, with stale state,
 * and the store would treat its copies as current when the views merge (Infinispan prefers the
 * larger old view). Like a lease that expired, the only safe move is to stop serving at once and
 * rejoin as a new incarnation, which then receives the current state from the others.
 *
 * <p>The clock is read by a thread of its own, not by an event loop: a busy event loop is not a
 * frozen JVM, and must not look like one.
 */
public final class FreezeWatchdog {

  /** How often the clock is read; the gap it can see is this plus the freeze. */
  private static final long TICK_MS = 100;

  /**
   * Our failure detector (todo-jgroups.xml) suspects a member after 5 s without a heartbeat, and
   * heartbeats go out every second: a freeze of 4 s can already get a node expelled. 3.5 s stays
   * below that, and above the GC pauses of a small heap on a busy machine.
   */
  public static final Duration TOLERATED = Duration.ofMillis(3_500);

  private final Consumer<Duration> onFreeze;
  private final Thread ticker;
  private volatile long last = System.nanoTime();
  private volatile boolean running;
  private volatile boolean frozen;

  public FreezeWatchdog(String nodeName, Consumer<Duration> onFreeze) {
    this.onFreeze = onFreeze;
    this.ticker = new Thread(this::tick, "freeze-watchdog-" + nodeName);
    this.ticker.setDaemon(true);
  }

  public void start() {
    last = System.nanoTime();
    running = true;
    ticker.start();
  }

  private void tick() {
    while (running && !frozen) {
      try {
        Thread.sleep(TICK_MS);
      } catch (InterruptedException stopped) {
        return;
      }
      long now = System.nanoTime();
      Duration gap = Duration.ofNanos(now - last);
      last = now;
      if (running && gap.compareTo(TOLERATED) > 0) {
        frozen = true;
        onFreeze.accept(gap);
      }
    }
  }

  /**
   * Whether this node may have been frozen past what the cluster tolerates, checked at the moment
   * of asking. After a freeze, requests that queued meanwhile run as soon as the JVM resumes, on
   * every event loop at once, possibly before the ticker wakes up: this is the lease each request
   * checks, so that none of them is served from stale memory.
   */
  public boolean mayBeStale() {
    return frozen || (running && System.nanoTime() - last > TOLERATED.toNanos());
  }

  public void stop() {
    running = false;
    ticker.interrupt();
  }
}
