package io.todocluster.todo;

import io.vertx.core.json.JsonObject;

/**
 * How a list's entries are stored: the entry's JSON, the idempotency key of the add that made
 * it (so a retried add finds its entry after any number of takeovers, with no record of its
 * own to write), and for a deleted entry a tombstone that keeps its id taken and its last
 * content (the answer to a retry of its add). The store adds the version of each write.
 */
final class StoredEntry {

  static final String KEY = "key";
  static final String DELETED = "deleted";
  static final String VERSION = "version";

  private StoredEntry() {
  }

  static JsonObject of(Entry entry, String key) {
    JsonObject json = entry.toJson();
    return key == null ? json : json.put(KEY, key);
  }

  static JsonObject tombstone(Entry entry, String key) {
    return of(entry, key).put(DELETED, true);
  }

  static boolean isTombstone(JsonObject stored) {
    return stored.getBoolean(DELETED, false);
  }

  /** The idempotency key of the add that wrote this entry, or null (an entry of the protocol before keys were stored). */
  static String key(JsonObject stored) {
    return stored.getString(KEY);
  }

  static long version(JsonObject stored) {
    return stored.getLong(VERSION, 0L);
  }

  /** The entry a stored copy holds; for a tombstone, the entry as it was deleted (null if it kept no content). */
  static Entry entry(JsonObject stored) {
    return stored.containsKey("date") && stored.containsKey("title") ? Entry.fromJson(stored) : null;
  }
}
