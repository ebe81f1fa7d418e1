package io.todocluster.todo;

import io.todocluster.Addresses;
import io.todocluster.cluster.ProcessRegistry;
import io.todocluster.todo.LocalProcesses.Ask;
import io.todocluster.store.StaleWriterException;
import io.todocluster.store.StoredList;
import io.todocluster.store.TodoStore;
import io.todocluster.supervision.Exit;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process of one to-do list (the book's {@code Todo.Server}): the only writer of its list. It
 * loads the list from the store when it starts, answers the commands of its mailbox (see
 * {@link LocalProcesses}) one at a time on its own context, and ends itself normally after an
 * idle timeout. Reads are answered from memory, which holds only what the store has
 * acknowledged, once the list's head shows that no newer writer took the list over; writes run
 * one at a time, each conditional on the list's head version this process last wrote, and are
 * answered only once stored.
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
  private final LocalProcesses processes;
  private final Takeovers takeovers;
  /** Writes waiting for the one in progress; made on the first write, so an idle list has none. */
  private Deque<Ask> writes;
  private ListWriter writer;
  private boolean writing;
  private boolean stopping;
  private boolean stopped;
  /** The answer to a read of all entries until the next write (see {@link EntriesReply}). */
  private EntriesReply allEntries;
  /** The same for the last date read (readers of a list mostly read one day), and that date. */
  private EntriesReply entriesOfDay;
  private String day;
  /** Reads that arrived since the head check in flight began: they wait for the next one. */
  private List<Ask> reads;
  private boolean checkingHead;
  private long lastActivity;

  /**
   * @param storeTrusted whether the store may be read and written now: false while it reconciles
   *     copies after a merge or a coordinator change, on the minority side, or after a freeze.
   *     Meanwhile the process neither starts nor applies a command (the caller retries later).
   */
  TodoServer(String list, TodoStore store, ProcessRegistry registry, Duration idleTimeout,
      BooleanSupplier storeTrusted, LocalProcesses processes, Takeovers takeovers) {
    this.list = list;
    this.takeovers = takeovers;
    this.processes = processes;
    this.store = store;
    this.registry = registry;
    this.idleTimeout = idleTimeout;
    this.storeTrusted = storeTrusted;
  }

  @Override
  public Future<?> start() {
    if (!storeTrusted.getAsBoolean()) {
      return Future.failedFuture(TodoException.unavailable("the store is reconciling; the list starts later"));
    }
    return registry.claim(list)
        .compose(v -> takeovers.takeOver(list, context))
        .map(this::restore)
        .onSuccess(v -> {
          processes.register(list, this);
          registry.register(list);
          lastActivity = System.nanoTime();
          vertx.setTimer(idleTimeout.toMillis(), this::checkIdle);
        });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    stopped = true;
    processes.unregister(list, this);
    // not yet applied, so safe for the caller to retry on the next incarnation
    if (writes != null) {
      writes.forEach(m -> m.fail(NOT_APPLIED, "the list's process is stopping"));
      writes.clear();
    }
    if (reads != null) {
      reads.forEach(m -> m.fail(NOT_APPLIED, "the list's process is stopping"));
      reads = null;
    }
    registry.unregister(list);
    return Future.succeededFuture();
  }

  private Void restore(StoredList stored) {
    writer = new ListWriter(list, store, stored, this::publish, this::exitStale);
    return null;
  }

  private EntriesReply allEntries() {
    if (allEntries == null) {
      allEntries = EntriesReply.of(writer.list().entries());
    }
    return allEntries;
  }

  private EntriesReply entriesOf(String date) {
    if (entriesOfDay == null || !date.equals(day)) {
      entriesOfDay = EntriesReply.of(writer.list().entries(LocalDate.parse(date)));
      day = date;
    }
    return entriesOfDay;
  }

  /** The list in memory may change with a write: the next read builds its answers again. */
  private void forgetReplies() {
    allEntries = null;
    entriesOfDay = null;
  }

  /** Puts a message in this process's mailbox: it is handled on this process's context. */
  void tell(Ask message) {
    context.runOnContext(v -> handle(message));
  }

  private void handle(Ask message) {
    if (stopped) {
      // sent before this incarnation stopped, read after: the caller looks for the next one
      message.absent("the list's process stopped");
      return;
    }
    lastActivity = System.nanoTime();
    JsonObject command = message.body();
    String op = command.getString("op");
    if (Commands.ENTRIES.equals(op) && !storeTrusted.getAsBoolean()) {
      message.fail(NOT_APPLIED, "the store is reconciling; retry");
    } else if (Commands.ENTRIES.equals(op) && stopping) {
      message.fail(NOT_APPLIED, "the list's process is stopping");
    } else if (Commands.ENTRIES.equals(op)) {
      if (reads == null) {
        reads = new ArrayList<>(2);
      }
      reads.add(message);
      answerReads();
    } else if (CRASH.equals(op)) {
      // like a linked caller in Erlang, the caller learns of the crash at once instead of timing out
      message.fail(500, "the list's process crashed; its supervisor restarts it");
      throw new IllegalStateException("crash requested for list '" + list + "'");
    } else if (stopping || !storeTrusted.getAsBoolean()) {
      message.fail(NOT_APPLIED, "the list's process is stopping");
    } else {
      if (writes == null) {
        writes = new ArrayDeque<>(2);
      }
      writes.addLast(message);
      drainWrites();
    }
  }

  /**
   * Answers the waiting reads from memory once a check of the list's head, begun after they
   * arrived, finds this process's epoch there. Placement moves a list between nodes one node at
   * a time, so a read can reach a process whose list a newer process elsewhere has taken over
   * and written to; that memory lacks the newer writes, and answering from it would undo
   * acknowledged writes for the reader. A moved head means this process is fenced: it ends, and
   * the readers retry on the list's current process. Reads that arrive during a check wait for
   * the next one, which answers them all: one check per burst, not per read.
   */
  private void answerReads() {
    if (checkingHead || reads == null || reads.isEmpty()) {
      return;
    }
    List<Ask> batch = reads;
    reads = null;
    checkingHead = true;
    writer.confirm().onComplete(ar -> {
      checkingHead = false;
      for (Ask read : batch) {
        if (ar.failed() && ar.cause() instanceof StaleWriterException) {
          read.fail(NOT_APPLIED, "the list was taken over by another process; retry");
        } else if (ar.failed() || stopping) {
          // nothing was changed: the reader asks again, the list's current process answers
          read.fail(NOT_APPLIED, "the list's process could not confirm it is the list's writer; retry");
        } else {
          String date = read.body().getString("date");
          read.reply(date == null ? allEntries() : entriesOf(date));
        }
      }
      answerReads();
    });
  }

  private void drainWrites() {
    if (writing || writes == null || writes.isEmpty()) {
      return;
    }
    Ask message = writes.pollFirst();
    if (!storeTrusted.getAsBoolean()) {
      message.fail(NOT_APPLIED, "the store is reconciling; the command was not applied");
      drainWrites();
      return;
    }
    writing = true;
    JsonObject command = message.body();
    forgetReplies();
    writer.apply(command).onComplete(ar -> {
      writing = false;
      forgetReplies();
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

  private void fail(Ask message, Throwable error) {
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
    if (idleNanos < timeoutNanos || writing || (writes != null && !writes.isEmpty())) {
      vertx.setTimer(Math.max(1, (timeoutNanos - idleNanos) / 1_000_000), this::checkIdle);
      return;
    }
    stopping = true;
    if (!Exit.normal(context)) {
      vertx.undeploy(deploymentID());
    }
  }
}
