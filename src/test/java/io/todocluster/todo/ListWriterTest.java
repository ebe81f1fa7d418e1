package io.todocluster.todo;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.store.StoredList;
import io.todocluster.todo.InMemoryListStore.Fault;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The fenced single-writer protocol of one list against a store whose writes can fail after they
 * landed. The smoke matrix found the bug these pin down: after an entry write timed out (the
 * head had moved), the next add reused the id, overwrote the entry, and both adds were
 * acknowledged with one id.
 */
@DisplayName("A list's writer when the store fails midway")
class ListWriterTest {

  private final InMemoryListStore store = new InMemoryListStore();

  private ListWriter writer() {
    io.todocluster.store.ListMeta head = store.heads.getOrDefault("l", io.todocluster.store.ListMeta.EMPTY);
    Map<Long, JsonObject> stored = new HashMap<>();
    store.entries.forEach((key, json) -> {
      if (key.startsWith("l/") && !json.getBoolean("deleted", false)) {
        stored.put(json.getLong("id"), json.copy());
      }
    });
    return new ListWriter("l", store, new StoredList(head, stored), (type, entry) -> { }, stale -> { });
  }

  private static JsonObject add(String title, String key) {
    JsonObject add = new JsonObject().put("op", "add").put("list", "l").put("date", "2026-12-01").put("title", title);
    return key == null ? add : add.put("idempotencyKey", key);
  }

  private static <T> T done(Future<T> future) {
    assertThat(future.isComplete()).as("the in-memory store answers at once").isTrue();
    return future.result();
  }

  @Test
  @DisplayName("an add whose entry write failed after its head write keeps its id: the next add gets the next one")
  void failedAddTakesItsIdForGood() {
    ListWriter writer = writer();
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
    ListWriter first = writer();
    done(first.apply(add("first", "k1")));
    store.failNextEntryWrite(Fault.FAIL_AFTER_LANDING);
    assertThat(first.apply(add("second", "k2")).failed()).isTrue();

    // the process exits after an unknown outcome; its next incarnation reads the store
    ListWriter next = writer();
    JsonObject retried = done(next.apply(add("second", "k2").put("retry", true)));

    assertThat(retried.getLong("id")).isEqualTo(2);
    assertThat(next.list().entries()).extracting(Entry::title).containsExactly("first", "second");
  }

  @Test
  @DisplayName("the retry of an add whose entry never landed writes it under the id it claimed, once")
  void retryOfALostAddWritesItOnce() {
    ListWriter first = writer();
    store.failNextEntryWrite(Fault.FAIL_BEFORE_LANDING);
    assertThat(first.apply(add("lost", "k1")).failed()).isTrue();
    assertThat(store.entries).isEmpty();

    ListWriter next = writer();
    JsonObject retried = done(next.apply(add("lost", "k1").put("retry", true)));
    JsonObject after = done(next.apply(add("after", "k2")));

    assertThat(retried.getLong("id")).isEqualTo(1);
    assertThat(after.getLong("id")).isEqualTo(2);
    assertThat(next.list().entries()).extracting(Entry::title).containsExactly("lost", "after");
  }
}
