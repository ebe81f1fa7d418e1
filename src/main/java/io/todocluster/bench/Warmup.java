package io.todocluster.bench;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * When a load's measured window starts: once the load runs at a steady rate, not after a fixed
 * time. Fresh JVMs on 2 cores spend their first tens of seconds compiling (a 3-node cluster
 * under writes ran at 160, 540, then 720 writes/s in three 20 s windows), so a window that
 * opens after a few seconds measures the JIT, not the system. Steady means: the minimum warm-up
 * has passed and the last {@link #SLICES} slices of {@link #SLICE} completed no more than
 * {@link #TOLERANCE} more than the {@link #SLICES} before them (a slow climb, which slices
 * compared one by one miss, shows as a gap between the two means), and, when the load knows
 * its JVMs, their JIT compilers used at most {@link #QUIET_JIT} of one core over the last slice
 * ({@link JitActivity}: the rate of a cluster still compiling can look level while a third of its
 * CPU goes to the compiler). The window opens at the latest after the maximum warm-up, and the
 * report says which of the two it was.
 */
final class Warmup {

  static final Duration SLICE = Duration.ofSeconds(2);
  static final int SLICES = 3;
  static final double TOLERANCE = 0.05;
  /** The share of one core that the JVMs' compiler threads may still use when the window opens. */
  static final double QUIET_JIT = 0.05;

  private final long started = System.nanoTime();
  private final long minUntil;
  private final long maxUntil;
  private final long windowNanos;
  private final AtomicLong completed = new AtomicLong();
  /** Compiler CPU ticks of the load's JVMs so far, or null when the load does not know them. */
  private final LongSupplier compilerTicks;
  private long lastCompilerTicks;
  private boolean jitQuiet;
  private final Deque<Long> rates = new ArrayDeque<>();
  private long lastCount;
  private volatile long from = Long.MAX_VALUE;
  private volatile long until = Long.MAX_VALUE;
  private volatile boolean steady;

  Warmup(Duration min, Duration max, Duration window) {
    this(min, max, window, null);
  }

  Warmup(Duration min, Duration max, Duration window, LongSupplier compilerTicks) {
    this.minUntil = started + min.toNanos();
    this.maxUntil = started + Math.max(min.toNanos(), max.toNanos());
    this.windowNanos = window.toNanos();
    this.compilerTicks = compilerTicks;
    this.lastCompilerTicks = compilerTicks == null ? 0 : compilerTicks.getAsLong();
  }

  /** One request (or put) completed, measured or not. */
  void completed() {
    completed.incrementAndGet();
  }

  /** Called every {@link #SLICE} by the load's own timer until {@link #measuring()}. */
  void tick() {
    if (measuring()) {
      return;
    }
    long count = completed.get();
    rates.addLast(count - lastCount);
    lastCount = count;
    if (rates.size() > 2 * SLICES) {
      rates.removeFirst();
    }
    long now = System.nanoTime();
    jitQuiet = jitQuiet();
    boolean level = rates.size() == 2 * SLICES && climb() <= TOLERANCE && jitQuiet;
    if (now >= minUntil && level || now >= maxUntil) {
      steady = level;
      until = now + windowNanos;
      from = now;
    }
  }

  /** Whether the JVMs' compilers used at most {@link #QUIET_JIT} of a core since the last tick. */
  private boolean jitQuiet() {
    if (compilerTicks == null) {
      return true;
    }
    long ticks = compilerTicks.getAsLong();
    long used = ticks - lastCompilerTicks;
    lastCompilerTicks = ticks;
    return used <= QUIET_JIT * SLICE.toSeconds() * JitActivity.TICKS_PER_SECOND;
  }

  /** How much the last slices' rate exceeds the earlier slices' (0 or less: no longer climbing). */
  private double climb() {
    long earlier = rates.stream().limit(SLICES).mapToLong(Long::longValue).sum();
    long later = rates.stream().skip(SLICES).mapToLong(Long::longValue).sum();
    return earlier == 0 ? Double.MAX_VALUE : (later - earlier) / (double) earlier;
  }

  boolean measuring() {
    return from != Long.MAX_VALUE;
  }

  /** Whether a request that began and ended at these times counts. */
  boolean counts(long began, long ended) {
    return began >= from && ended <= until;
  }

  boolean over(long now) {
    return now >= until;
  }

  /** How long the warm-up lasted, and whether the rate had levelled off or the maximum cut it short. */
  String describe() {
    return String.format("warm-up %.0f s (%s)", (from - started) / 1e9, steady
        ? (compilerTicks == null ? "steady" : "steady, JIT quiet")
        : (jitQuiet ? "maximum reached" : "maximum reached, JIT still compiling"));
  }

  /** The most a load can take: the maximum warm-up, the window and a margin. */
  static Duration budget(Duration max, Duration window) {
    return max.plus(window).plus(SLICE).plus(Duration.ofSeconds(30));
  }
}
