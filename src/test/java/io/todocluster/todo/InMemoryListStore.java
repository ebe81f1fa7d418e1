package io.todocluster.todo;

import io.todocluster.store.ListMeta;
import io.todocluster.store.ListStore;
import io.todocluster.store.StaleWriterException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * A store in memory for the writer's protocol, with the fault a replicated store shows under
 * partitions and pauses: a write that lands and still fails (a replication timeout after the
 * primary applied it), or one that fails before it lands. It counts the writes made, which are
 * the replicated operations of a real store.
 */
final class InMemoryListStore implements ListStore {

  enum Fault { NONE, FAIL_AFTER_LANDING, FAIL_BEFORE_LANDING }

  final Map<String, ListMeta> heads = new HashMap<>();
  final Map<String, JsonObject> entries = new HashMap<>();
  final Map<String, JsonObject> idempotency = new HashMap<>();
  int writes;
  private Fault nextEntryWrite = Fault.NONE;

  /** The next entry write (add, put or tombstone) fails this way; the ones after it succeed. */
  void failNextEntryWrite(Fault fault) {
    nextEntryWrite = fault;
  }

  @Override
  public Future<ListMeta> head(String list) {
    return Future.succeededFuture(heads.getOrDefault(list, ListMeta.EMPTY));
  }

  @Override
  public Future<ListMeta> advance(String list, ListMeta expected, ListMeta next) {
    writes++;
    if (!heads.getOrDefault(list, ListMeta.EMPTY).equals(expected)) {
      return Future.failedFuture(new StaleWriterException(list, expected));
    }
    heads.put(list, next);
    return Future.succeededFuture(next);
  }

  @Override
  public Future<Map<Long, JsonObject>> entries(String list, long from, long to) {
    Map<Long, JsonObject> found = new HashMap<>();
    for (long id = from; id < to; id++) {
      JsonObject json = entries.get(list + "/" + id);
      if (json != null) {
        found.put(id, json.copy());
      }
    }
    return Future.succeededFuture(found);
  }

  @Override
  public Future<JsonObject> addEntry(String list, long id, JsonObject entry, long version) {
    JsonObject existing = entries.get(list + "/" + id);
    if (existing != null) {
      writes++;
      return Future.succeededFuture(existing.copy());
    }
    return putEntry(list, id, entry, version).map((JsonObject) null);
  }

  @Override
  public Future<Void> putEntry(String list, long id, JsonObject entry, long version) {
    writes++;
    Fault fault = nextEntryWrite;
    nextEntryWrite = Fault.NONE;
    if (fault != Fault.FAIL_BEFORE_LANDING) {
      entries.put(list + "/" + id, entry.copy().put("version", version));
    }
    return fault == Fault.NONE ? Future.succeededFuture()
        : Future.failedFuture(new IllegalStateException("timeout waiting for the backup owner's ack"));
  }

  @Override
  public Future<JsonObject> entry(String list, long id) {
    JsonObject json = entries.get(list + "/" + id);
    return Future.succeededFuture(json == null ? null : json.copy());
  }

  @Override
  public Future<JsonObject> idempotent(String list, String key) {
    return Future.succeededFuture(idempotency.get(list + "/" + key));
  }

  @Override
  public Future<Void> rememberIdempotent(String list, String key, JsonObject result) {
    writes++;
    idempotency.put(list + "/" + key, result);
    return Future.succeededFuture();
  }
}
