package io.todocluster.store.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Bitcask's keydir: every live key and where its newest record is. Reads consult it without a
 * lock; it changes only under the log's append lock, in the order of the records in the file, so
 * it is always what a scan of the file would rebuild. It holds every key in memory (Bitcask's
 * trade: one disk read per lookup, memory that grows with the number of keys, not their values).
 */
final class LogIndex {

  /** Where a key's newest put record starts and how long it is (header included). */
  record Location(long offset, int size, long expiry) {

    boolean isExpired(long now) {
      return StoredEntry.isExpired(expiry, now);
    }
  }

  /** A key's bytes as a map key: arrays compare by identity, keys must compare by content. */
  static final class Key {
    private final byte[] bytes;
    private final int hash;

    Key(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    byte[] bytes() {
      return bytes;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && hash == key.hash && Arrays.equals(bytes, key.bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private final Map<Key, Location> locations = new ConcurrentHashMap<>();

  Location get(byte[] key) {
    return locations.get(new Key(key));
  }

  void put(byte[] key, Location location) {
    locations.put(new Key(key), location);
  }

  Location remove(byte[] key) {
    return locations.remove(new Key(key));
  }

  /** Removes the key only if its newest record is still this one: a concurrent put wins. */
  boolean remove(byte[] key, Location location) {
    return locations.remove(new Key(key), location);
  }

  void clear() {
    locations.clear();
  }

  int size() {
    return locations.size();
  }

  /** Drops what has expired: used once after a scan, when nobody else sees the index. */
  void removeExpired(long now) {
    locations.values().removeIf(location -> location.isExpired(now));
  }

  long liveBytes() {
    return locations.values().stream().mapToLong(Location::size).sum();
  }

  /** A copy of the entries, in file order, so that walking them reads the file forwards. */
  List<Map.Entry<Key, Location>> snapshot() {
    return snapshot(key -> true);
  }

  /**
   * A copy of the entries whose keys are included, in file order. Filtered before it is sorted:
   * a rebalance asks for one segment at a time, so a sort of every key per request would cost
   * segments x keys.
   */
  List<Map.Entry<Key, Location>> snapshot(Predicate<Key> include) {
    return inFileOrder((key, location) -> include.test(key));
  }

  /**
   * The entries that have expired by {@code now}, in file order. Filtered before it is sorted:
   * Infinispan's expiration reaper asks every store once a minute, and most keys never expire.
   */
  List<Map.Entry<Key, Location>> expired(long now) {
    return inFileOrder((key, location) -> location.isExpired(now));
  }

  private List<Map.Entry<Key, Location>> inFileOrder(BiPredicate<Key, Location> include) {
    List<Map.Entry<Key, Location>> entries = new ArrayList<>();
    locations.forEach((key, location) -> {
      if (include.test(key, location)) {
        entries.add(Map.entry(key, location));
      }
    });
    entries.sort(Comparator.comparingLong(entry -> entry.getValue().offset()));
    return entries;
  }
}
