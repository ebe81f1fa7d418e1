package io.todocluster.todo;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.store.ListMeta;
import io.todocluster.store.StaleWriterException;
import io.todocluster.todo.InMemoryListStore.Fault;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The fenced single-writer protocol of one list against a store whose writes can fail after they
 * landed, and with a fenced writer that goes on writing after a new one took the list over.
 */
@DisplayName("A list's writer")
class ListWriterTest {

  private final InMemoryListStore store = new InMemoryListStore();
  private final List<StaleWriterException> fenced = new ArrayList<>();

  /** A new writer, as a list's process makes one when it starts: it takes the list over. */
  private ListWriter takeOver() {
    return new ListWriter("l", store, done(Takeover.of("l", store)), (type, entry) -> { }, fenced::add);
  }

  private static JsonObject add(String title, String key) {
    JsonObject add = new JsonObject().put("op", "add").put("list", "l").put("date", "2026-12-01").put("title", title);
    return key == null ? add : add.put("idempotencyKey", key);
  }

  private static JsonObject update(long id, String title, String key) {
    return new JsonObject().put("op", "update").put("list", "l").put("id", id).put("title", title)
        .put("idempotencyKey", key);
  }

  private static <T> T done(Future<T> future) {
    assertThat(future.isComplete()).as("the in-memory store answers at once").isTrue();
    return future.result();
  }

  private long storedWithKey(String key) {
    return store.entries.values().stream().filter(json -> key.equals(json.getString("key"))).count();
  }

  @Test
  @DisplayName("an add whose entry write failed after it landed keeps its id: the next add gets the next one")
  void failedAddTakesItsIdForGood() {
    ListWriter writer = takeOver();
    assertThat(done(writer.apply(add("first", "k1"))).getLong("id")).isEqualTo(1);
    store.failNextEntryWrite(Fault.FAIL_AFTER_LANDING);
    Future<JsonObject> failed = writer.apply(add("second", "k2"));
    assertThat(failed.failed()).isTrue();

    JsonObject third = done(writer.apply(add("third", "k3")));

    assertThat(third.getLong("id")).isEqualTo(3);
    assertThat(store.entries.get("l/2").getString("title")).as("the landed write is not overwritten").isEqualTo("second");
  }

  @Test
  @DisplayName("the retry of an add whose entry landed before the failure answers the id of the first attempt")
  void retryOfALandedAddAnswersItsId() {
    ListWriter first = takeOver();
    done(first.apply(add("first", "k1")));
    store.failNextEntryWrite(Fault.FAIL_AFTER_LANDING);
    assertThat(first.apply(add("second", "k2")).failed()).isTrue();

    // the process exits after an unknown outcome; its next incarnation reads the store
    ListWriter next = takeOver();
    JsonObject retried = done(next.apply(add("second", "k2").put("retry", true)));

    assertThat(retried.getLong("id")).isEqualTo(2);
    assertThat(next.list().entries()).extracting(Entry::title).containsExactly("first", "second");
    assertThat(storedWithKey("k2")).isEqualTo(1);
  }

  @Test
  @DisplayName("the retry of an add whose entry never landed writes it once")
  void retryOfALostAddWritesItOnce() {
    ListWriter first = takeOver();
    store.failNextEntryWrite(Fault.FAIL_BEFORE_LANDING);
    assertThat(first.apply(add("lost", "k1")).failed()).isTrue();
    assertThat(store.entries).isEmpty();

    ListWriter next = takeOver();
    JsonObject retried = done(next.apply(add("lost", "k1").put("retry", true)));
    JsonObject after = done(next.apply(add("after", "k2")));

    assertThat(retried.getLong("id")).isEqualTo(1);
    assertThat(after.getLong("id")).isEqualTo(2);
    assertThat(next.list().entries()).extracting(Entry::title).containsExactly("lost", "after");
  }

  @Test
  @DisplayName("a fenced writer's add that lands after the new writer read the list is kept, and its retry adds nothing")
  void lateWriteOfAFencedWriterIsKeptOnce() {
    ListWriter old = takeOver();
    done(old.apply(add("first", "k1")));
    ListWriter current = takeOver();

    Future<JsonObject> late = old.apply(add("late", "k2"));
    assertThat(late.failed()).as("the fenced writer's add is not acknowledged").isTrue();
    assertThat(late.cause()).isInstanceOf(StaleWriterException.class);
    assertThat(fenced).hasSize(1);

    JsonObject retried = done(current.apply(add("late", "k2").put("retry", true)));
    JsonObject next = done(current.apply(add("next", "k3")));

    assertThat(retried.getLong("id")).isEqualTo(2);
    assertThat(next.getLong("id")).isEqualTo(3);
    assertThat(storedWithKey("k2")).isEqualTo(1);
    assertThat(current.list().entries()).extracting(Entry::title).containsExactly("first", "late", "next");
  }

  @Test
  @DisplayName("a fenced writer's add never overwrites an entry the new writer stored, and it stops at the first one")
  void fencedWriterNeverOverwrites() {
    ListWriter old = takeOver();
    ListWriter current = takeOver();
    done(current.apply(add("mine", "k1")));
    int writesBefore = store.writes;

    Future<JsonObject> late = old.apply(add("late", "k2"));

    assertThat(late.failed()).isTrue();
    assertThat(store.entries.get("l/1").getString("title")).isEqualTo("mine");
    assertThat(store.entries).hasSize(1);
    assertThat(store.writes - writesBefore).as("one refused write, then it knows it is fenced").isEqualTo(1);
  }

  @Test
  @DisplayName("an add is one store write and moves no head; an update is its entry and its idempotency record")
  void anAddIsOneWrite() {
    ListWriter writer = takeOver();
    ListMeta head = store.heads.get("l");
    int before = store.writes;

    done(writer.apply(add("one", TodoService.INTERNAL_KEY_PREFIX + "a")));
    assertThat(store.writes - before).isEqualTo(1);
    done(writer.apply(update(1, "two", TodoService.INTERNAL_KEY_PREFIX + "b")));
    assertThat(store.writes - before).isEqualTo(3);
    assertThat(store.heads.get("l")).isEqualTo(head);
  }

  @Test
  @DisplayName("a new writer reads every entry above the head's floor, in windows, and goes on after the last")
  void takeoverReadsPastTheFloor() {
    ListWriter first = takeOver();
    for (int i = 1; i <= 100; i++) {
      done(first.apply(add("e" + i, "k" + i)));
    }
    assertThat(store.heads.get("l").floor()).as("adds do not move the head").isEqualTo(1);

    ListWriter next = takeOver();

    assertThat(next.list().size()).isEqualTo(100);
    assertThat(done(next.apply(add("e101", "k101"))).getLong("id")).isEqualTo(101);
    assertThat(done(next.apply(add("e5", "k5"))).getLong("id")).as("a retry found in the stored keys").isEqualTo(5);
  }

  @Test
  @DisplayName("every write after a takeover is stamped above a fenced writer's late write of the same entry")
  void versionsGrowAcrossTakeovers() {
    ListWriter old = takeOver();
    done(old.apply(add("first", "k1")));
    ListWriter current = takeOver();
    assertThat(old.apply(update(1, "late", "k2")).failed()).isTrue();
    long late = store.entries.get("l/1").getLong("version");

    done(current.apply(update(1, "mine", "k3")));

    assertThat(store.entries.get("l/1").getLong("version")).isGreaterThan(late);
  }

  @Test
  @DisplayName("a list stored by the protocol before epochs is read, and its recorded adds answer their retries")
  void listOfTheProtocolBeforeEpochs() {
    store.heads.put("l", new ListMeta(4, 7));
    for (long id = 1; id <= 3; id++) {
      store.entries.put("l/" + id, new JsonObject().put("id", id).put("date", "2026-12-01").put("title", "old" + id)
          .put("version", id + 4));
    }
    store.idempotency.put("l/k3", new JsonObject().put("id", 3L).put("date", "2026-12-01").put("title", "old3"));

    ListWriter writer = takeOver();

    assertThat(done(writer.apply(add("old3", "k3").put("retry", true))).getLong("id")).isEqualTo(3);
    assertThat(done(writer.apply(add("new", "k4"))).getLong("id")).isEqualTo(4);
    assertThat(store.entries.get("l/4").getLong("version")).isGreaterThan(7);
    assertThat(writer.list().entries()).extracting(Entry::title).containsExactly("old1", "old2", "old3", "new");
  }
}
