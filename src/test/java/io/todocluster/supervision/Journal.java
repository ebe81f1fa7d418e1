package io.todocluster.supervision;

import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An append-only record shared between test verticles (any thread) and the test thread, which
 * can wait, with a bound, until what was recorded satisfies a condition.
 */
final class Journal<T> {

  private final List<T> items = new ArrayList<>();

  synchronized void add(T item) {
    items.add(item);
    notifyAll();
  }

  synchronized List<T> snapshot() {
    return List.copyOf(items);
  }

  synchronized int size() {
    return items.size();
  }

  /** Entries recorded from position {@code from} on. */
  synchronized List<T> since(int from) {
    return List.copyOf(items.subList(from, items.size()));
  }

  /** Waits until the recorded entries satisfy {@code condition}; fails after {@link TestChildren#WAIT}. */
  synchronized List<T> awaitUntil(String what, Predicate<List<T>> condition) {
    long deadline = System.nanoTime() + TestChildren.WAIT.toNanos();
    while (!condition.test(items)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        fail("timed out waiting for " + what + "; recorded: " + items);
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
    return List.copyOf(items);
  }
}
