package io.todocluster.store;

import io.vertx.core.json.JsonObject;

/**
 * The stored head of one list: the next id to give and the version of the last write. Every
 * write of a list replaces its head conditionally on the version its writer last saw, so a stale
 * writer can never overwrite a newer write (the store is the truth; a process is a cache of it).
 */
public record ListMeta(long nextId, long version) {

  public static final ListMeta EMPTY = new ListMeta(1, 0);

  public ListMeta next(long newNextId) {
    return new ListMeta(newNextId, version + 1);
  }

  String encode() {
    return new JsonObject().put("nextId", nextId).put(VersionedMergePolicy.VERSION, version).encode();
  }

  static ListMeta decode(String json) {
    JsonObject o = new JsonObject(json);
    return new ListMeta(o.getLong("nextId"), o.getLong(VersionedMergePolicy.VERSION));
  }
}
