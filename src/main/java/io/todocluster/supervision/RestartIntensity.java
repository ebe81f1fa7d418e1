package io.todocluster.supervision;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * OTP's restart intensity: at most {@code maxRestarts} restarts within any sliding window of
 * {@code period}. Not thread-safe: a supervisor uses it from its own context only.
 */
public final class RestartIntensity {

  /** OTP's defaults since OTP 19: intensity 1 in 5 s; the project contract asks for 3 in 5 s. */
  public static final int DEFAULT_MAX_RESTARTS = 3;
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(5);

  private final int maxRestarts;
  private final long periodNanos;
  private final Deque<Long> restarts = new ArrayDeque<>();

  public RestartIntensity(int maxRestarts, Duration period) {
    if (maxRestarts < 0) {
      throw new IllegalArgumentException("maxRestarts must be >= 0, got " + maxRestarts);
    }
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive, got " + period);
    }
    this.maxRestarts = maxRestarts;
    this.periodNanos = period.toNanos();
  }

  public static RestartIntensity defaults() {
    return new RestartIntensity(DEFAULT_MAX_RESTARTS, DEFAULT_PERIOD);
  }

  /**
   * Records one restart at {@code nowNanos} and tells whether it is still allowed. Like
   * supervisor.erl's add_restart: the new restart counts, and restarts older than the period
   * are forgotten.
   */
  public boolean tryRestart(long nowNanos) {
    restarts.addLast(nowNanos);
    while (!restarts.isEmpty() && nowNanos - restarts.peekFirst() > periodNanos) {
      restarts.removeFirst();
    }
    return restarts.size() <= maxRestarts;
  }

  public RestartIntensity copy() {
    return new RestartIntensity(maxRestarts, Duration.ofNanos(periodNanos));
  }

  public int maxRestarts() {
    return maxRestarts;
  }

  public Duration period() {
    return Duration.ofNanos(periodNanos);
  }
}
