package io.todocluster.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * What a list's single writer needs from the store: its head (next id and version, the fencing
 * token), its entries by id, and idempotency records. {@link TodoStore} is the replicated one;
 * the interface is the seam where the writer's protocol is tested against failures that a real
 * cluster only shows under faults (a write that fails after it landed).
 */
public interface ListStore {

  /** The list's head as stored now. */
  Future<ListMeta> head(String list);

  /** Moves the head from {@code expected} to {@code next} if nobody moved it; else fails with {@link StaleWriterException}. */
  Future<ListMeta> advance(String list, ListMeta expected, ListMeta next);

  /** Writes an entry, stamped with the head version this write moved to. */
  Future<Void> putEntry(String list, long id, JsonObject entry, long version);

  /** Replaces an entry by a tombstone. */
  Future<Void> removeEntry(String list, long id, long version);

  /** One stored entry, a tombstone, or null if it was never written. */
  Future<JsonObject> entry(String list, long id);

  /** What a write with this idempotency key answered the first time, or null. */
  Future<JsonObject> idempotent(String list, String key);

  /** Claims an idempotency key atomically: null when this call claimed it, else the earlier claim's answer. */
  Future<JsonObject> claimIdempotent(String list, String key, JsonObject result);

  Future<Void> rememberIdempotent(String list, String key, JsonObject result);
}
