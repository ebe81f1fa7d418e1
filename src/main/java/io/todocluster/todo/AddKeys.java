package io.todocluster.todo;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Which add made which entry of one list, by the add's idempotency key, as its writer knows it
 * from the stored entries ({@link StoredEntry#key}). A retried add is answered from here, so an
 * add writes its entry and nothing else.
 */
final class AddKeys {

  private final Map<String, Long> ids = new HashMap<>();
  private final Map<Long, String> keys = new HashMap<>();
  /** What the retry of a deleted entry's add answers: the entry as it was deleted. */
  private final Map<Long, JsonObject> deleted = new HashMap<>();

  void added(String key, long id) {
    if (key != null) {
      ids.put(key, id);
      keys.put(id, key);
    }
  }

  void deleted(long id, Entry last) {
    if (keys.containsKey(id) && last != null) {
      deleted.put(id, last.toJson());
    }
  }

  /** The id of the entry the add with this key made, or null. */
  Long idOf(String key) {
    return key == null ? null : ids.get(key);
  }

  /** The key of the add that made this entry, or null. */
  String keyOf(long id) {
    return keys.get(id);
  }

  /** The answer of a deleted entry's add, or null when it was not deleted. */
  JsonObject deletedAnswer(long id) {
    return deleted.get(id);
  }
}
