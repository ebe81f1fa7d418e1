package io.todocluster.todo;

import io.todocluster.store.ListMeta;
import io.todocluster.store.ListStore;
import io.todocluster.store.StaleWriterException;
import io.todocluster.store.StoredList;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.todocluster.store.IdRange;
import java.util.ArrayList;
import java.util.Collection;
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

  /**
   * Takes many lists over as {@link #of} takes one, with one store call for all of their heads
   * and one for the first window of all of their entries; each head is still moved by its own
   * conditional write, and each list is read only after its own head moved. A list whose head
   * was moved meanwhile is fenced again alone; a list that fails does not fail the others.
   */
  static Future<Map<String, Future<StoredList>>> ofAll(Collection<String> lists, ListStore store) {
    return store.heads(lists).map(heads -> {
      Map<String, Future<ListMeta>> fenced = new HashMap<>();
      for (String list : lists) {
        ListMeta current = heads.get(list);
        fenced.put(list, store.advance(list, current, current.nextEpoch())
            .recover(error -> error instanceof StaleWriterException ? fence(list, store, 2) : Future.failedFuture(error)));
      }
      return fenced;
    }).compose(fenced -> Future.join(new ArrayList<>(fenced.values())).transform(done -> {
      Map<String, IdRange> firstWindows = new HashMap<>();
      fenced.forEach((list, head) -> {
        if (head.succeeded()) {
          firstWindows.put(list, new IdRange(1, head.result().floor() + FIRST_WINDOW));
        }
      });
      Future<Map<String, Map<Long, JsonObject>>> read = firstWindows.isEmpty()
          ? Future.succeededFuture(Map.of()) : store.entries(firstWindows);
      return read.transform(found -> {
        Map<String, Future<StoredList>> taken = new HashMap<>();
        fenced.forEach((list, head) -> {
          if (head.failed()) {
            taken.put(list, Future.failedFuture(head.cause()));
          } else if (found.failed()) {
            taken.put(list, Future.failedFuture(found.cause()));
          } else {
            taken.put(list, readOn(list, store, head.result(), new HashMap<>(found.result().get(list)),
                firstWindows.get(list).to(), FIRST_WINDOW * 2));
          }
        });
        return Future.succeededFuture(taken);
      });
    }));
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
