package io.todocluster.store;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.infinispan.conflict.EntryMergePolicy;
import org.infinispan.container.entries.CacheEntry;

/**
 * How the store settles conflicting copies of a key after a partition heals: the copy written
 * at the highest list version wins, and any copy beats none. Every list head and entry carries
 * the version of the write that produced it, and versions only grow through the fenced single
 * writer, so the newest write is always the one kept.
 *
 * <p>Infinispan's own policies are not safe here: PREFERRED_ALWAYS keeps the "preferred"
 * partition's copies, and a node that was paused comes back believing in its old, larger view,
 * so its stale copies could win and undo every write made while it slept (our fault tests saw
 * exactly that); PREFERRED_NON_NULL resurrects deleted entries; REMOVE_ALL drops acknowledged
 * writes. Copies without a version (idempotency records, written once) count as version 0.
 */
public final class VersionedMergePolicy implements EntryMergePolicy<String, String> {

  /** The field of a stored list head or entry that holds its version. */
  public static final String VERSION = "version";

  @Override
  public CacheEntry<String, String> merge(CacheEntry<String, String> preferred, List<CacheEntry<String, String>> others) {
    CacheEntry<String, String> best = preferred;
    for (CacheEntry<String, String> other : others) {
      if (version(other) > version(best)) {
        best = other;
      }
    }
    return best;
  }

  static long version(CacheEntry<String, String> entry) {
    return entry == null ? -1 : version(entry.getValue());
  }

  /** The version a stored value was written at; -1 for none, 0 for a value without one. */
  static long version(String value) {
    if (value == null) {
      return -1;
    }
    try {
      return new JsonObject(value).getLong(VERSION, 0L);
    } catch (RuntimeException notJson) {
      return 0;
    }
  }
}
