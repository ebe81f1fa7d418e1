package io.todocluster.todo;

import io.todocluster.store.ListMeta;
import io.todocluster.store.ListStore;
import io.todocluster.store.StaleWriterException;
import io.todocluster.store.StoredList;
import io.todocluster.store.TodoStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The fenced single-writer protocol of one list, used by its {@link TodoServer} one write at a
 * time. Every write moves the list's head on by a conditional replace on the version this writer
 * last wrote, then writes its entry, then checks that the head is still its own; a writer that
 * finds the head moved by someone else is stale and reports it, never overwriting a newer write.
 * Idempotency keys make a retried command answer what its first attempt answered.
 */
final class ListWriter {

  private final String list;
  private final ListStore store;
  private final BiConsumer<String, JsonObject> publish;
  private final Consumer<StaleWriterException> onStale;
  private final TodoList todo;
  private ListMeta head;

  ListWriter(String list, ListStore store, StoredList stored, BiConsumer<String, JsonObject> publish,
      Consumer<StaleWriterException> onStale) {
    this.list = list;
    this.store = store;
    this.publish = publish;
    this.onStale = onStale;
    Map<Long, Entry> entries = new HashMap<>();
    stored.entries().forEach((id, json) -> entries.put(id, Entry.fromJson(json)));
    this.todo = new TodoList(stored.meta().nextId(), entries);
    this.head = stored.meta();
  }

  /** What this writer holds: only what the store acknowledged. */
  TodoList list() {
    return todo;
  }

  Future<JsonObject> apply(JsonObject command) {
    return switch (command.getString("op")) {
      case Commands.ADD -> add(command);
      case Commands.UPDATE -> update(command);
      case Commands.DELETE -> delete(command);
      default -> Future.failedFuture(TodoException.badRequest("unknown op"));
    };
  }

  private Future<JsonObject> add(JsonObject command) {
    LocalDate date = LocalDate.parse(command.getString("date"));
    String title = command.getString("title");
    String key = command.getString("idempotencyKey");
    if (key == null) {
      return addNew(date, title, null);
    }
    return priorAnswer(key, command)
        .compose(prior -> prior == null ? addNew(date, title, key) : replay(prior));
  }

  /**
   * Head first (the id is taken for good), then the claim of the idempotency key, then the entry:
   * of two attempts of one command (a retry racing a fenced writer), only the claimant writes.
   */
  private Future<JsonObject> addNew(LocalDate date, String title, String key) {
    // the id comes from the stored head, not from memory: an earlier add whose entry write failed
    // after its head write (a timeout: outcome unknown) has taken its id for good
    Entry entry = new Entry(Math.max(head.nextId(), todo.nextId()), date, title);
    return advance(entry.id() + 1)
        .compose(v -> key == null ? Future.succeededFuture() : store.claimIdempotent(list, key, entry.toJson()))
        // another attempt of this command claimed the key first (a fenced writer that woke up, or
        // the retry of one): answer as it did, and leave the id just taken unused, never reused
        .compose(claimedBefore -> claimedBefore != null ? replay(claimedBefore) : writeNew(entry));
  }

  private Future<JsonObject> writeNew(Entry entry) {
    return store.putEntry(list, entry.id(), entry.toJson(), head.version())
        .compose(v -> stillTheWriter())
        .map(v -> {
          todo.put(entry);
          publish.accept("added", entry.toJson());
          return entry.toJson();
        });
  }

  /**
   * A retried add: answer what the first attempt answered. If that attempt stopped between its
   * idempotency record and its entry, finish it now; if the entry was deleted since, it stays so.
   */
  private Future<JsonObject> replay(JsonObject prior) {
    Entry entry = Entry.fromJson(prior);
    return store.entry(list, entry.id()).compose(stored -> {
      if (stored != null) {
        if (!TodoStore.isTombstone(stored) && todo.get(entry.id()).isEmpty()) {
          todo.put(entry); // written by a writer fenced just after; it is ours to show now
        }
        return Future.succeededFuture(prior);
      }
      return advance(Math.max(head.nextId(), entry.id() + 1))
          .compose(v -> store.putEntry(list, entry.id(), prior, head.version()))
          .compose(v -> stillTheWriter())
          .map(v -> {
            todo.put(entry);
            publish.accept("added", prior);
            return prior;
          });
    });
  }

  /**
   * Updates and deletes are written entry first, idempotency record last: a retry of one that
   * stopped in between applies it again, which for both gives the same state.
   */
  private Future<JsonObject> update(JsonObject command) {
    long id = command.getLong("id");
    String key = command.getString("idempotencyKey");
    return priorAnswer(key, command).compose(prior -> {
      if (prior != null) {
        return Future.succeededFuture(prior);
      }
      if (todo.get(id).isEmpty()) {
        return Future.failedFuture(TodoException.notFound("no entry " + id + " in list '" + list + "'"));
      }
      Entry old = todo.get(id).get();
      String date = command.getString("date");
      Entry updated = new Entry(id, date == null ? old.date() : LocalDate.parse(date),
          command.getString("title", old.title()));
      return advance(head.nextId())
          .compose(v -> store.putEntry(list, id, updated.toJson(), head.version()))
          .compose(v -> stillTheWriter())
          .compose(v -> key == null ? Future.succeededFuture() : store.rememberIdempotent(list, key, updated.toJson()))
          .map(v -> {
            todo.put(updated);
            publish.accept("updated", updated.toJson());
            return updated.toJson();
          });
    });
  }

  private Future<JsonObject> delete(JsonObject command) {
    long id = command.getLong("id");
    String key = command.getString("idempotencyKey");
    return priorAnswer(key, command).compose(prior -> {
      if (prior != null) {
        return Future.succeededFuture(null);
      }
      if (todo.get(id).isEmpty()) {
        return deletedByAnEarlierAttempt(command, id).compose(gone -> gone ? Future.succeededFuture(null)
            : Future.failedFuture(TodoException.notFound("no entry " + id + " in list '" + list + "'")));
      }
      return advance(head.nextId())
          .compose(v -> store.removeEntry(list, id, head.version()))
          .compose(v -> stillTheWriter())
          .compose(v -> key == null ? Future.succeededFuture()
              : store.rememberIdempotent(list, key, new JsonObject().put("deleted", id)))
          .map(v -> {
            todo.delete(id);
            publish.accept("deleted", new JsonObject().put("id", id));
            return null;
          });
    });
  }

  /** The answer an earlier attempt of this command gave, looked up only when it may exist. */
  private Future<JsonObject> priorAnswer(String key, JsonObject command) {
    boolean mayExist = key != null && (command.getBoolean("retry", false) || !key.startsWith(TodoService.INTERNAL_KEY_PREFIX));
    return mayExist ? store.idempotent(list, key) : Future.succeededFuture();
  }

  /**
   * A delete re-sent by a node (its first attempt may have removed the entry and stopped before
   * its record). Only a re-send counts: a new delete of a deleted entry is a 404.
   */
  private Future<Boolean> deletedByAnEarlierAttempt(JsonObject command, long id) {
    if (!command.getBoolean("retry", false)) {
      return Future.succeededFuture(false);
    }
    return store.entry(list, id).map(stored -> stored != null && TodoStore.isTombstone(stored));
  }

  /**
   * Whether the head is still the one this process wrote, after its entry write. If a new writer
   * took the list over meanwhile, that writer may have read the list before this entry landed:
   * the write is reported as not applied, and its retry (same idempotency key) is answered by the
   * current writer, which finds the entry and shows it.
   */
  private Future<Void> stillTheWriter() {
    ListMeta mine = head;
    return store.head(list).compose(stored -> {
      if (stored.version() == mine.version()) {
        return Future.succeededFuture();
      }
      StaleWriterException stale = new StaleWriterException(list, mine);
      onStale.accept(stale);
      return Future.failedFuture(stale);
    });
  }

  /** Moves the list's head on; if someone else moved it, this process is stale and must go. */
  private Future<Void> advance(long nextId) {
    return store.advance(list, head, head.next(nextId))
        .onSuccess(next -> head = next)
        .onFailure(error -> {
          if (error instanceof StaleWriterException stale) {
            onStale.accept(stale);
          }
        })
        .mapEmpty();
  }

}
