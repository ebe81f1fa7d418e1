package io.todocluster.store;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * One list as a new writer read it: the head it took the list over with, and every stored
 * entry and tombstone by id, as stored (with its version).
 */
public record StoredList(ListMeta meta, Map<Long, JsonObject> entries) {
}
