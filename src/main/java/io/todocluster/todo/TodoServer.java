package io.todocluster.todo;

import io.todocluster.Addresses;
import io.todocluster.cluster.ProcessRegistry;
import io.todocluster.store.StaleWriterException;
import io.todocluster.store.StoredList;
import io.todocluster.store.TodoStore;
import io.todocluster.supervision.Exit;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BooleanSupplier;
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

  /**
   * Failure code of a write whose store call failed midway (a replication timeout, the store
   * lost its majority): it may be applied or not. The process exits, since its memory may now
   * be behind the store; the retry, with the same idempotency key, is answered by the next
   * incarnation, which reads the list from the store.
   */
  static final int OUTCOME_UNKNOWN = 1504;

  private static final Logger log = LoggerFactory.getLogger(TodoServer.class);

  private final String list;
  private final TodoStore store;
  private final ProcessRegistry registry;
  private final Duration idleTimeout;
  private final BooleanSupplier storeTrusted;
  private final Deque<Message<JsonObject>> writes = new ArrayDeque<>();
  private ListWriter writer;
  private boolean writing;
  private boolean stopping;
  private long lastActivity;

  /**
   * @param storeTrusted whether the store may be read and written now: false while it reconciles
   *     copies after a merge or a coordinator change, on the minority side, or after a freeze.
   *     Meanwhile the process neither starts nor applies a command (the caller retries later).
   */
  public TodoServer(String list, TodoStore store, ProcessRegistry registry, Duration idleTimeout,
      BooleanSupplier storeTrusted) {
    this.list = list;
    this.store = store;
    this.registry = registry;
    this.idleTimeout = idleTimeout;
    this.storeTrusted = storeTrusted;
  }

  /** A local process answers a crash at once; past this it is too busy to be worth crashing. */
  private static final DeliveryOptions CRASH_REQUEST = new DeliveryOptions().setSendTimeout(2_000);

  /**
   * Makes this node's process of the list crash, for an operator who wants to watch its
   * supervisor restart it (the dashboard). Completes with whether a process was there to crash.
   */
  public static Future<Boolean> crash(Vertx vertx, String list) {
    return vertx.eventBus().request(Addresses.listProcess(list), new JsonObject().put("op", CRASH), CRASH_REQUEST)
        .transform(ar -> {
          if (ar.cause() instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            return Future.succeededFuture(true); // it answered with its crash, as asked
          }
          if (ar.cause() instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
            return Future.succeededFuture(false);
          }
          return ar.succeeded() ? Future.failedFuture("the process did not crash") : Future.failedFuture(ar.cause());
        });
  }

  @Override
  public Future<?> start() {
    if (!storeTrusted.getAsBoolean()) {
      return Future.failedFuture(TodoException.unavailable("the store is reconciling; the list starts later"));
    }
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
    writer = new ListWriter(list, store, stored, this::publish, this::exitStale);
    return null;
  }

  private void handle(Message<JsonObject> message) {
    lastActivity = System.nanoTime();
    JsonObject command = message.body();
    String op = command.getString("op");
    if (Commands.ENTRIES.equals(op) && !storeTrusted.getAsBoolean()) {
      message.fail(NOT_APPLIED, "the store is reconciling; retry");
    } else if (Commands.ENTRIES.equals(op)) {
      String date = command.getString("date");
      JsonArray result = new JsonArray();
      (date == null ? writer.list().entries() : writer.list().entries(LocalDate.parse(date))).forEach(e -> result.add(e.toJson()));
      message.reply(result);
    } else if (CRASH.equals(op)) {
      // like a linked caller in Erlang, the caller learns of the crash at once instead of timing out
      message.fail(500, "the list's process crashed; its supervisor restarts it");
      throw new IllegalStateException("crash requested for list '" + list + "'");
    } else if (stopping || !storeTrusted.getAsBoolean()) {
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
    Message<JsonObject> message = writes.pollFirst();
    if (!storeTrusted.getAsBoolean()) {
      message.fail(NOT_APPLIED, "the store is reconciling; the command was not applied");
      drainWrites();
      return;
    }
    writing = true;
    JsonObject command = message.body();
    writer.apply(command).onComplete(ar -> {
      writing = false;
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else {
        fail(message, ar.cause());
      }
      drainWrites();
    });
  }

  /** This process's memory may differ from the store: it ends, and its supervisor restarts it from the store. */
  private void exitStale(Throwable error) {
    if (stopping) {
      return;
    }
    stopping = true;
    if (!Exit.abnormal(context, String.valueOf(error.getMessage()))) {
      vertx.undeploy(deploymentID());
    }
  }

  private void fail(Message<JsonObject> message, Throwable error) {
    if (error instanceof TodoException e) {
      message.fail(e.status(), e.getMessage());
    } else if (error instanceof StaleWriterException) {
      message.fail(NOT_APPLIED, "the list was changed by another process");
    } else {
      log.warn("list={} write failed, outcome unknown; the process restarts from the store", list, error);
      message.fail(OUTCOME_UNKNOWN, "the store did not confirm the write; the outcome is unknown");
      exitStale(error);
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
