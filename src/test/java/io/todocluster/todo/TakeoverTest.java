package io.todocluster.todo;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.store.ListMeta;
import io.todocluster.store.ListStore;
import io.todocluster.store.StoredList;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A new writer's takeover of lists, one at a time and many in one batch, against the in-memory store. */
@DisplayName("Taking lists over")
class TakeoverTest {

  private final InMemoryListStore store = new InMemoryListStore();

  private static <T> T done(Future<T> future) {
    assertThat(future.isComplete()).as("the in-memory store answers at once").isTrue();
    assertThat(future.succeeded()).as(String.valueOf(future.cause())).isTrue();
    return future.result();
  }

  private void storeEntries(String list, int count) {
    for (long id = 1; id <= count; id++) {
      store.entries.put(list + "/" + id, new JsonObject().put("id", id).put("title", list + " " + id));
    }
  }

  @Test
  @DisplayName("a batch fences each list at its own next epoch and reads all of its entries, past the first window too")
  void batchTakesEachListOver() {
    store.heads.put("long", new ListMeta(1, 4));
    storeEntries("long", 100);
    store.heads.put("short", new ListMeta(1, 7));
    storeEntries("short", 3);

    Map<String, Future<StoredList>> taken = done(Takeover.ofAll(List.of("long", "short", "new"), store));

    assertThat(taken).containsOnlyKeys("long", "short", "new");
    StoredList stored = done(taken.get("long"));
    assertThat(stored.entries()).hasSize(100);
    assertThat(store.heads.get("long")).isEqualTo(new ListMeta(1, 4).nextEpoch());
    assertThat(done(taken.get("short")).entries()).containsOnlyKeys(1L, 2L, 3L);
    assertThat(store.heads.get("short")).isEqualTo(new ListMeta(1, 7).nextEpoch());
    assertThat(done(taken.get("new")).entries()).isEmpty();
    assertThat(store.heads.get("new")).isEqualTo(ListMeta.EMPTY.nextEpoch());
  }

  @Test
  @DisplayName("a batch takes a list over exactly as a takeover of it alone does")
  void batchEqualsSingle() {
    InMemoryListStore alone = new InMemoryListStore();
    for (InMemoryListStore s : List.of(store, alone)) {
      s.heads.put("l", new ListMeta(1, 9));
      for (long id = 1; id <= 40; id++) {
        s.entries.put("l/" + id, new JsonObject().put("id", id));
      }
    }

    StoredList batched = done(done(Takeover.ofAll(List.of("l"), store)).get("l"));
    StoredList single = done(Takeover.of("l", alone));

    assertThat(batched).isEqualTo(single);
    assertThat(store.heads).isEqualTo(alone.heads);
  }

  @Test
  @DisplayName("a list whose head another writer moved after the batch read it is fenced again alone; the others are not held up")
  void movedHeadIsFencedAgain() {
    store.heads.put("raced", new ListMeta(1, 2));
    store.heads.put("calm", new ListMeta(1, 2));
    // another writer takes "raced" over between the batch's read of the heads and its fence
    ListStore through = racing(store, () -> store.heads.put("raced", new ListMeta(1, 2).nextEpoch()));

    Map<String, Future<StoredList>> taken = done(Takeover.ofAll(List.of("raced", "calm"), through));

    assertThat(done(taken.get("raced")).meta()).isEqualTo(new ListMeta(1, 2).nextEpoch().nextEpoch());
    assertThat(store.heads.get("raced")).isEqualTo(new ListMeta(1, 2).nextEpoch().nextEpoch());
    assertThat(done(taken.get("calm")).meta()).isEqualTo(new ListMeta(1, 2).nextEpoch());
  }

  @Test
  @DisplayName("takeovers asked for while batches are in the store go together in the next ones, each list fenced once")
  void takeoversAreBatched() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      java.util.concurrent.atomic.AtomicInteger headReads = new java.util.concurrent.atomic.AtomicInteger();
      ListStore counting = racing(store, headReads::incrementAndGet);
      // made and asked on one context within one task: every ask is queued on the batcher's
      // context before the first runs, whatever the threads' timing (the in-memory store
      // answers at once, so asks that arrived one by one would each find a free slot)
      io.vertx.core.Context context = vertx.getOrCreateContext();
      io.vertx.core.Promise<List<Future<StoredList>>> asked = io.vertx.core.Promise.promise();
      context.runOnContext(v -> {
        Takeovers takeovers = new Takeovers(vertx, counting);
        List<Future<StoredList>> taken = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
          taken.add(takeovers.takeOver("batched-" + i, context));
        }
        asked.complete(taken);
      });
      List<Future<StoredList>> taken = asked.future().toCompletionStage().toCompletableFuture()
          .get(10, java.util.concurrent.TimeUnit.SECONDS);
      Future.all(taken).toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(headReads.get()).as("store calls for the heads of 200 lists")
          .isLessThanOrEqualTo(Takeovers.IN_FLIGHT + 200 / Takeovers.BATCH + 1);
      for (int i = 0; i < 200; i++) {
        assertThat(store.heads.get("batched-" + i)).isEqualTo(ListMeta.EMPTY.nextEpoch());
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /** The store, with something happening right after each batched read of heads. */
  private static ListStore racing(InMemoryListStore store, Runnable afterHeadsRead) {
    return new ListStore() {
      @Override
      public Future<Map<String, ListMeta>> heads(Collection<String> lists) {
        Future<Map<String, ListMeta>> read = store.heads(lists);
        afterHeadsRead.run();
        return read;
      }

      @Override
      public Future<ListMeta> head(String list) {
        return store.head(list);
      }

      @Override
      public Future<ListMeta> advance(String list, ListMeta expected, ListMeta next) {
        return store.advance(list, expected, next);
      }

      @Override
      public Future<Map<Long, JsonObject>> entries(String list, long from, long to) {
        return store.entries(list, from, to);
      }

      @Override
      public Future<JsonObject> addEntry(String list, long id, JsonObject entry, long version) {
        return store.addEntry(list, id, entry, version);
      }

      @Override
      public Future<Void> putEntry(String list, long id, JsonObject entry, long version) {
        return store.putEntry(list, id, entry, version);
      }

      @Override
      public Future<JsonObject> entry(String list, long id) {
        return store.entry(list, id);
      }

      @Override
      public Future<JsonObject> idempotent(String list, String key) {
        return store.idempotent(list, key);
      }

      @Override
      public Future<Void> rememberIdempotent(String list, String key, JsonObject result) {
        return store.rememberIdempotent(list, key, result);
      }
    };
  }
}
