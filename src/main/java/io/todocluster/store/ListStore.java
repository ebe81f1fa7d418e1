package io.todocluster.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a list's single writer needs from the store: its head (the fencing token), its entries
 * by id, and idempotency records of updates and deletes. {@link TodoStore} is the replicated
 * one; the interface is the seam where the writer's protocol is tested against failures that a
 * real cluster only shows under faults (a write that fails after it landed, a fenced writer's
 * write that lands late).
 *
 * <p>Every stored entry carries the version it was written at ({@link VersionedMergePolicy}).
 */
public interface ListStore {

  /** The list's head as stored now. */
  Future<ListMeta> head(String list);

  /**
   * The heads of many lists as stored now, in one call where the store can ({@link ListMeta#EMPTY}
   * for a list never written): what a node taking many lists over reads first.
   */
  default Future<Map<String, ListMeta>> heads(Collection<String> lists) {
    Map<String, ListMeta> heads = new ConcurrentHashMap<>();
    return Future.all(lists.stream().map(list -> head(list).onSuccess(head -> heads.put(list, head))).toList())
        .map(all -> heads);
  }

  /** Moves the head from {@code expected} to {@code next} if nobody moved it; else fails with {@link StaleWriterException}. */
  Future<ListMeta> advance(String list, ListMeta expected, ListMeta next);

  /** The stored entries (tombstones too) with ids in {@code [from, to)}, by id; absent ids are left out. */
  Future<Map<Long, JsonObject>> entries(String list, long from, long to);

  /** The stored entries of many lists, each with ids in its own range, in one call where the store can. */
  default Future<Map<String, Map<Long, JsonObject>>> entries(Map<String, IdRange> ranges) {
    Map<String, Map<Long, JsonObject>> found = new ConcurrentHashMap<>();
    return Future.all(ranges.entrySet().stream().map(range -> entries(range.getKey(), range.getValue().from(),
        range.getValue().to()).onSuccess(entries -> found.put(range.getKey(), entries))).toList())
        .map(all -> found);
  }

  /**
   * Writes an entry under an id nobody has written yet: null when this call wrote it, else what
   * is stored there (and nothing is written). One replicated operation.
   */
  Future<JsonObject> addEntry(String list, long id, JsonObject entry, long version);

  /** Writes an entry (or a tombstone) over whatever is stored under its id. */
  Future<Void> putEntry(String list, long id, JsonObject entry, long version);

  /** One stored entry, a tombstone, or null if it was never written. */
  Future<JsonObject> entry(String list, long id);

  /** What a write with this idempotency key answered the first time, or null. */
  Future<JsonObject> idempotent(String list, String key);

  Future<Void> rememberIdempotent(String list, String key, JsonObject result);
}
