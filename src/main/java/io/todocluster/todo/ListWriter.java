package io.todocluster.todo;

import io.todocluster.store.ListMeta;
import io.todocluster.store.ListStore;
import io.todocluster.store.StaleWriterException;
import io.todocluster.store.StoredList;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The fenced single-writer protocol of one list, used by its {@link TodoServer} one write at a
 * time, after it took the list over ({@link Takeover}). A write is one replicated store write,
 * then a read of the list's head (local: the process runs on the head's primary owner): if a new
 * writer took the list over meanwhile, that writer may have read the list before this write
 * landed, so the write is reported as not applied, and this writer ends. An add writes under the
 * next id only if nobody has (the store's putIfAbsent), with its idempotency key inside the
 * entry: no head move, no separate idempotency record. Updates and deletes overwrite their
 * entry and then record their idempotency key.
 */
final class ListWriter {

  /** A fenced writer lands at most one write under the id an add is about to take. */
  private static final int ADD_ATTEMPTS = 3;

  private final String list;
  private final ListStore store;
  private final BiConsumer<String, JsonObject> publish;
  private final Consumer<StaleWriterException> onStale;
  private final TodoList todo;
  private final AddKeys adds = new AddKeys();
  /** The head this writer took the list over with: its epoch is the fencing token. */
  private final ListMeta head;
  /** The version of this writer's last write; each write stamps the next (see {@link io.todocluster.store.VersionedMergePolicy}). */
  private long version;

  ListWriter(String list, ListStore store, StoredList stored, BiConsumer<String, JsonObject> publish,
      Consumer<StaleWriterException> onStale) {
    this.list = list;
    this.store = store;
    this.publish = publish;
    this.onStale = onStale;
    this.head = stored.meta();
    Map<Long, Entry> live = new HashMap<>();
    long newest = head.version();
    long top = 0;
    for (Map.Entry<Long, JsonObject> e : stored.entries().entrySet()) {
      JsonObject json = e.getValue();
      newest = Math.max(newest, StoredEntry.version(json));
      top = Math.max(top, e.getKey());
      adds.added(StoredEntry.key(json), e.getKey());
      if (StoredEntry.isTombstone(json)) {
        adds.deleted(e.getKey(), StoredEntry.entry(json));
      } else {
        live.put(e.getKey(), Entry.fromJson(json));
      }
    }
    this.todo = new TodoList(Math.max(head.floor(), top + 1), live);
    // a fenced writer may still land one write, at most one version above the newest read
    this.version = newest + 1;
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
    Long made = adds.idOf(key);
    if (made != null) {
      return Future.succeededFuture(answerOfAdd(made));
    }
    // an add acknowledged by a writer of the protocol before keys were stored in entries
    return priorAnswer(key, command)
        .compose(prior -> prior == null ? addNew(date, title, key, ADD_ATTEMPTS) : replay(prior, key));
  }

  /**
   * Writes the entry under the next id unless something is stored there: then it is the one
   * write a fenced writer landed after this writer read the list. It is in the store, so it is
   * the list's; if it was this very command (its retry reached this writer), it is the answer.
   */
  private Future<JsonObject> addNew(LocalDate date, String title, String key, int attempts) {
    Entry entry = todo.nextEntry(date, title);
    return store.addEntry(list, entry.id(), StoredEntry.of(entry, key), ++version).compose(existing -> {
      if (existing == null) {
        return stillTheWriter().map(v -> {
          todo.put(entry);
          adds.added(key, entry.id());
          publish.accept("added", entry.toJson());
          return entry.toJson();
        });
      }
      adopt(entry.id(), existing);
      if (key != null && key.equals(StoredEntry.key(existing))) {
        return stillTheWriter().map(v -> answerOfAdd(entry.id()));
      }
      // another writer's entry: if it is a newer writer's, this one is fenced and stops here
      return stillTheWriter().compose(v -> attempts > 1 ? addNew(date, title, key, attempts - 1) : stale());
    });
  }

  /**
   * A retried add whose first attempt recorded its answer in the idempotency cache (the protocol
   * before keys were stored in entries): answer it; if the attempt stopped between its record and
   * its entry, write the entry under the id it was given, once.
   */
  private Future<JsonObject> replay(JsonObject prior, String key) {
    Entry entry = Entry.fromJson(prior);
    if (todo.get(entry.id()).isPresent()) {
      return Future.succeededFuture(prior);
    }
    if (entry.id() > todo.nextId()) {
      // that protocol moved the head past an id before recording it, so the id is below the floor
      return Future.failedFuture(new IllegalStateException(
          "list '" + list + "': recorded id " + entry.id() + " above the next id " + todo.nextId()));
    }
    return store.addEntry(list, entry.id(), StoredEntry.of(entry, key), ++version).compose(existing -> {
      if (existing != null) {
        adopt(entry.id(), existing);
        return Future.succeededFuture(prior);
      }
      return stillTheWriter().map(v -> {
        todo.put(entry);
        adds.added(key, entry.id());
        publish.accept("added", prior);
        return prior;
      });
    });
  }

  /** Takes in an entry another writer stored: the list shows what the store holds. */
  private void adopt(long id, JsonObject stored) {
    version = Math.max(version, StoredEntry.version(stored) + 1);
    adds.added(StoredEntry.key(stored), id);
    if (StoredEntry.isTombstone(stored)) {
      adds.deleted(id, StoredEntry.entry(stored));
      todo.delete(id);
    } else if (todo.get(id).isEmpty()) {
      Entry entry = Entry.fromJson(stored);
      todo.put(entry);
      publish.accept("added", entry.toJson());
    }
  }

  private JsonObject answerOfAdd(long id) {
    return todo.get(id).map(Entry::toJson)
        .orElseGet(() -> {
          JsonObject deleted = adds.deletedAnswer(id);
          return deleted != null ? deleted : new JsonObject().put("id", id);
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
      return store.putEntry(list, id, StoredEntry.of(updated, adds.keyOf(id)), ++version)
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
      Entry old = todo.get(id).get();
      return store.putEntry(list, id, StoredEntry.tombstone(old, adds.keyOf(id)), ++version)
          .compose(v -> stillTheWriter())
          .compose(v -> key == null ? Future.succeededFuture()
              : store.rememberIdempotent(list, key, new JsonObject().put("deleted", id)))
          .map(v -> {
            todo.delete(id);
            adds.deleted(id, old);
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
    return store.entry(list, id).map(stored -> stored != null && StoredEntry.isTombstone(stored));
  }

  /** Succeeds if no newer writer took the list over (the head still holds this writer's epoch); else this writer is fenced. */
  Future<Void> confirm() {
    return stillTheWriter();
  }

  /**
   * Whether the head still holds this writer's epoch, after its write landed. If a new writer
   * took the list over meanwhile, it may have read the list before this write: the write is
   * reported as not applied, and its retry (same idempotency key) is answered by the new writer,
   * which finds the entry (see {@link #addNew}).
   */
  private Future<Void> stillTheWriter() {
    return store.head(list).compose(stored -> stored.version() == head.version() ? Future.succeededFuture() : stale());
  }

  private <T> Future<T> stale() {
    StaleWriterException stale = new StaleWriterException(list, head);
    onStale.accept(stale);
    return Future.failedFuture(stale);
  }
}
