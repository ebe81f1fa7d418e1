package io.todocluster.todo;

import io.todocluster.store.ListStore;
import io.todocluster.store.StoredList;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The takeovers of the list processes starting on this node, made in batches (group commit):
 * a takeover asked for while {@link #IN_FLIGHT} batches are in the store waits and goes with
 * the next batch, so that a failover starting hundreds of lists at once reads their heads and
 * their entries in a few store calls ({@link Takeover#ofAll}), while a list that starts alone
 * is taken over at once, as by {@link Takeover#of}. All of its state is on its own context.
 */
final class Takeovers {

  /** Lists taken over in one batch: one getAll of 64 heads and of 64 x 32 entry keys. */
  static final int BATCH = 64;
  /** Batches in the store at once: one is read while the heads of the other are moved. */
  static final int IN_FLIGHT = 2;

  private final ListStore store;
  private final Context context;
  private final Deque<Asked> queue = new ArrayDeque<>();
  private int inFlight;

  private record Asked(String list, Context caller, Promise<StoredList> taken) {}

  Takeovers(Vertx vertx, ListStore store) {
    this.store = store;
    this.context = vertx.getOrCreateContext();
  }

  /** Takes the list over for a process starting now; completes on the caller's context. */
  Future<StoredList> takeOver(String list, Context caller) {
    Promise<StoredList> taken = Promise.promise();
    context.runOnContext(v -> {
      queue.addLast(new Asked(list, caller, taken));
      next();
    });
    return taken.future();
  }

  private void next() {
    while (inFlight < IN_FLIGHT && !queue.isEmpty()) {
      // one takeover per list in a batch: a second (a restart racing its own start) waits for the next
      Map<String, Asked> batch = new LinkedHashMap<>();
      List<Asked> later = new ArrayList<>();
      while (batch.size() < BATCH && !queue.isEmpty()) {
        Asked asked = queue.pollFirst();
        if (batch.putIfAbsent(asked.list(), asked) != null) {
          later.add(asked);
        }
      }
      for (int i = later.size() - 1; i >= 0; i--) {
        queue.addFirst(later.get(i));
      }
      inFlight++;
      Takeover.ofAll(batch.keySet(), store).onComplete(done -> {
        batch.forEach((list, asked) -> {
          Future<StoredList> outcome = done.failed() ? Future.failedFuture(done.cause()) : done.result().get(list);
          outcome.onComplete(ar -> asked.caller().runOnContext(v -> asked.taken().handle(ar)));
        });
        context.runOnContext(v -> {
          inFlight--;
          next();
        });
      });
    }
  }
}
