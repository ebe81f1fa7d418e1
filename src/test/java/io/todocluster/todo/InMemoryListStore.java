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
 * primary applied it), or one that fails before it lands.
 */
final class InMemoryListStore implements ListStore {

  enum Fault { NONE, FAIL_AFTER_LANDING, FAIL_BEFORE_LANDING }

  final Map<String, ListMeta> heads = new HashMap<>();
  final Map<String, JsonObject> entries = new HashMap<>();
  final Map<String, JsonObject> idempotency = new HashMap<>();
  private Fault nextEntryWrite = Fault.NONE;

  /** The next entry write (put or tombstone) fails this way; the ones after it succeed. */
  void failNextEntryWrite(Fault fault) {
    nextEntryWrite = fault;
  }

  @Override
  public Future<ListMeta> head(String list) {
    return Future.succeededFuture(heads.getOrDefault(list, ListMeta.EMPTY));
  }

  @Override
  public Future<ListMeta> advance(String list, ListMeta expected, ListMeta next) {
    if (!heads.getOrDefault(list, ListMeta.EMPTY).equals(expected)) {
      return Future.failedFuture(new StaleWriterException(list, expected));
    }
    heads.put(list, next);
    return Future.succeededFuture(next);
  }

  @Override
  public Future<Void> putEntry(String list, long id, JsonObject entry, long version) {
    return writeEntry(list + "/" + id, entry.copy().put("version", version));
  }

  @Override
  public Future<Void> removeEntry(String list, long id, long version) {
    return writeEntry(list + "/" + id, new JsonObject().put("id", id).put("deleted", true).put("version", version));
  }

  private Future<Void> writeEntry(String key, JsonObject value) {
    Fault fault = nextEntryWrite;
    nextEntryWrite = Fault.NONE;
    if (fault != Fault.FAIL_BEFORE_LANDING) {
      entries.put(key, value);
    }
    return fault == Fault.NONE ? Future.succeededFuture()
        : Future.failedFuture(new IllegalStateException("timeout waiting for the backup owner's ack"));
  }

  @Override
  public Future<JsonObject> entry(String list, long id) {
    return Future.succeededFuture(entries.get(list + "/" + id));
  }

  @Override
  public Future<JsonObject> idempotent(String list, String key) {
    return Future.succeededFuture(idempotency.get(list + "/" + key));
  }

  @Override
  public Future<JsonObject> claimIdempotent(String list, String key, JsonObject result) {
    return Future.succeededFuture(idempotency.putIfAbsent(list + "/" + key, result));
  }

  @Override
  public Future<Void> rememberIdempotent(String list, String key, JsonObject result) {
    idempotency.put(list + "/" + key, result);
    return Future.succeededFuture();
  }
}
