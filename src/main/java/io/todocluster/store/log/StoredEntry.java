package io.todocluster.store.log;

/**
 * One key's entry as the log keeps it: the bytes Infinispan's persistence marshaller produced, so
 * the log never needs to know the key, value or metadata classes. A null part was absent.
 *
 * @param expiry wall-clock millis when the entry expires, or -1 if never: kept in the record so
 *     that a scan knows what has expired without unmarshalling the metadata
 */
public record StoredEntry(byte[] key, byte[] value, byte[] metadata, byte[] internalMetadata,
    long created, long lastUsed, long expiry) {

  public StoredEntry {
    if (key == null) {
      throw new IllegalArgumentException("an entry needs a key");
    }
  }

  /** The same test as Infinispan's MarshallableEntry: an expiry at or before now is past. */
  public boolean isExpired(long now) {
    return isExpired(expiry, now);
  }

  static boolean isExpired(long expiry, long now) {
    return expiry > 0 && expiry <= now;
  }
}
