package io.todocluster.store;

/** The entry ids from {@code from} (inclusive) to {@code to} (exclusive). */
public record IdRange(long from, long to) {

  public IdRange {
    if (from < 1 || to < from) {
      throw new IllegalArgumentException("not a range of entry ids: [" + from + ", " + to + ")");
    }
  }
}
