package io.todocluster.todo;

import io.todocluster.Addresses;
import io.todocluster.cluster.ProcessRegistry;
import io.todocluster.store.ListMeta;
import io.todocluster.store.StaleWriterException;
import io.todocluster.store.StoredList;
import io.todocluster.store.TodoStore;
import io.todocluster.supervision.Exit;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process of one to-do list (the book's {@code Todo.Server}): the only writer of its list. It
 * loads the list from the store when it starts, answers commands on its node-local address, and
 * ends itself normally after an idle timeout. Reads are answered from memory, which holds only
 * what the store has acknowledged; writes run one at a time, each conditional on the list's head
 * version this process last wrote, and are answered only once stored.
 */
public final class TodoServer extends VerticleBase {

  /** A message that makes the process crash, as an exception inside its handler would. */
  public static final String CRASH = "crash";

  /** Failure code of a write that was not applied and may be retried on the next incarnation. */
  static final int NOT_APPLIED = 1503;

  private static final Logger log = LoggerFactory.getLogger(TodoServer.class);

  private final String list;
  private final TodoStore store;
  private final ProcessRegistry registry;
  private final Duration idleTimeout;
  private final Deque<Message<JsonObject>> writes = new ArrayDeque<>();
  private TodoList todo;
  private ListMeta head;
  private boolean writing;
  private boolean stopping;
  private long lastActivity;

  public TodoServer(String list, TodoStore store, ProcessRegistry registry, Duration idleTimeout) {
    this.list = list;
    this.store = store;
    this.registry = registry;
    this.idleTimeout = idleTimeout;
  }

  @Override
  public Future<?> start() {
    return registry.claim(list)
        .compose(v -> store.takeOver(list))
        .map(this::restore)
        .compose(v -> vertx.eventBus().<JsonObject>localConsumer(Addresses.listProcess(list), this::handle).completion())
        .onSuccess(v -> {
          registry.register(list);
          lastActivity = System.nanoTime();
          vertx.setTimer(idleTimeout.toMillis(), this::checkIdle);
        });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    // not yet applied, so safe for the caller to retry on the next incarnation
    writes.forEach(m -> m.fail(NOT_APPLIED, "the list's process is stopping"));
    writes.clear();
    registry.unregister(list);
    return Future.succeededFuture();
  }

  private Void restore(StoredList stored) {
    Map<Long, Entry> entries = new HashMap<>();
    stored.entries().forEach((id, json) -> entries.put(id, Entry.fromJson(json)));
    todo = new TodoList(stored.meta().nextId(), entries);
    head = stored.meta();
    return null;
  }

  private void handle(Message<JsonObject> message) {
    lastActivity = System.nanoTime();
    JsonObject command = message.body();
    String op = command.getString("op");
    if (Commands.ENTRIES.equals(op)) {
      String date = command.getString("date");
      JsonArray result = new JsonArray();
      (date == null ? todo.entries() : todo.entries(LocalDate.parse(date))).forEach(e -> result.add(e.toJson()));
      message.reply(result);
    } else if (CRASH.equals(op)) {
      // like a linked caller in Erlang, the caller learns of the crash at once instead of timing out
      message.fail(500, "the list's process crashed; its supervisor restarts it");
      throw new IllegalStateException("crash requested for list '" + list + "'");
    } else if (stopping) {
      message.fail(NOT_APPLIED, "the list's process is stopping");
    } else {
      writes.addLast(message);
      drainWrites();
    }
  }

  private void drainWrites() {
    if (writing || writes.isEmpty()) {
      return;
    }
    writing = true;
    Message<JsonObject> message = writes.pollFirst();
    JsonObject command = message.body();
    Future<JsonObject> outcome = switch (command.getString("op")) {
      case Commands.ADD -> add(command);
      case Commands.UPDATE -> update(command);
      case Commands.DELETE -> delete(command);
      default -> Future.failedFuture(TodoException.badRequest("unknown op"));
    };
    outcome.onComplete(ar -> {
      writing = false;
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else {
        fail(message, ar.cause());
      }
      drainWrites();
    });
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

  /** Head first (the id is taken for good), then the idempotency record, then the entry. */
  private Future<JsonObject> addNew(LocalDate date, String title, String key) {
    Entry entry = todo.nextEntry(date, title);
    return advance(entry.id() + 1)
        .compose(v -> key == null ? Future.succeededFuture() : store.rememberIdempotent(list, key, entry.toJson()))
        .compose(v -> store.putEntry(list, entry.id(), entry.toJson(), head.version()))
        .compose(v -> stillTheWriter())
        .map(v -> {
          todo.put(entry);
          publish("added", entry.toJson());
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
            publish("added", prior);
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
            publish("updated", updated.toJson());
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
            publish("deleted", new JsonObject().put("id", id));
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
      exitStale(stale);
      return Future.failedFuture(stale);
    });
  }

  /** Moves the list's head on; if someone else moved it, this process is stale and must go. */
  private Future<Void> advance(long nextId) {
    return store.advance(list, head, head.next(nextId))
        .onSuccess(next -> head = next)
        .onFailure(error -> {
          if (error instanceof StaleWriterException) {
            exitStale(error);
          }
        })
        .mapEmpty();
  }

  private void exitStale(Throwable error) {
    stopping = true;
    if (!Exit.abnormal(context, error.getMessage())) {
      vertx.undeploy(deploymentID());
    }
  }

  private void fail(Message<JsonObject> message, Throwable error) {
    if (error instanceof TodoException e) {
      message.fail(e.status(), e.getMessage());
    } else if (error instanceof StaleWriterException) {
      message.fail(NOT_APPLIED, "the list was changed by another process");
    } else {
      log.warn("list={} write failed", list, error);
      message.fail(503, "the store could not take the write; retry later");
    }
  }

  private void publish(String type, JsonObject entry) {
    vertx.eventBus().publish(Addresses.todoEvents(list),
        new JsonObject().put("type", type).put("list", list).put("entry", entry));
  }

  private void checkIdle(long timerId) {
    long idleNanos = System.nanoTime() - lastActivity;
    long timeoutNanos = idleTimeout.toNanos();
    if (idleNanos < timeoutNanos || writing || !writes.isEmpty()) {
      vertx.setTimer(Math.max(1, (timeoutNanos - idleNanos) / 1_000_000), this::checkIdle);
      return;
    }
    stopping = true;
    if (!Exit.normal(context)) {
      vertx.undeploy(deploymentID());
    }
  }
}
