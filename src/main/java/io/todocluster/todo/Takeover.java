package io.todocluster.todo;

import io.todocluster.store.ListMeta;
import io.todocluster.store.ListStore;
import io.todocluster.store.StaleWriterException;
import io.todocluster.store.StoredList;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * How a new writer takes a list over: it moves the head to the next epoch first, which fences
 * every earlier writer (each of their writes checks the head after it lands, see
 * {@link ListWriter}), and then reads every stored entry. A writer gives ids one at a time
 * without touching the head, and never gives the next before the last is stored, so the ids
 * above the head's floor are contiguous: the read goes on in growing windows while the last id
 * of a window is stored. A fenced writer can land at most one write after this read, and only
 * under the first id this read found free (see {@link ListWriter#add}).
 */
final class Takeover {

  /** Two new writers racing for one list settle in a round or two; more means something is wrong. */
  private static final int ATTEMPTS = 5;
  private static final int FIRST_WINDOW = 32;
  private static final int LARGEST_WINDOW = 1024;

  private Takeover() {
  }

  static Future<StoredList> of(String list, ListStore store) {
    return fence(list, store, 1).compose(head -> read(list, store, head));
  }

  private static Future<ListMeta> fence(String list, ListStore store, int attempt) {
    return store.head(list)
        .compose(current -> store.advance(list, current, current.nextEpoch()))
        .recover(error -> error instanceof StaleWriterException && attempt < ATTEMPTS
            ? fence(list, store, attempt + 1)
            : Future.failedFuture(error));
  }

  private static Future<StoredList> read(String list, ListStore store, ListMeta head) {
    long end = head.floor() + FIRST_WINDOW;
    return store.entries(list, 1, end)
        .compose(found -> readOn(list, store, head, new HashMap<>(found), end, FIRST_WINDOW * 2));
  }

  private static Future<StoredList> readOn(String list, ListStore store, ListMeta head, Map<Long, JsonObject> found,
      long end, int window) {
    if (!found.containsKey(end - 1)) {
      return Future.succeededFuture(new StoredList(head, found));
    }
    return store.entries(list, end, end + window).compose(more -> {
      found.putAll(more);
      return readOn(list, store, head, found, end + window, Math.min(window * 2, LARGEST_WINDOW));
    });
  }
}
