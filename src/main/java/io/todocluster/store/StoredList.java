package io.todocluster.store;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/** One list as loaded from the store: its head and its entries by id, as JSON. */
public record StoredList(ListMeta meta, Map<Long, JsonObject> entries) {
}
