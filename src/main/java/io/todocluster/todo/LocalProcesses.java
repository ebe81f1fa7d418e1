package io.todocluster.todo;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The list processes alive on this node, by list, and how a message reaches one: the node-local
 * half of the book's process registry.
 *
 * <p>A list process used to take its messages through a local event-bus consumer of its own.
 * Each such consumer holds a Netty MPSC queue whose first chunk is 1,024 slots, about 5 KB per
 * process whether or not a message ever arrives, which was 60% of an idle list's cost
 * (BENCHMARKS.md). Here a message is a task on the process's own context instead: the process
 * still handles one message at a time, in the order each sender sent them, on its own context,
 * and nothing but that task touches its state; the mailbox is the context's queue, which costs
 * nothing while it is empty. Answers come back on the asker's context, failures as the
 * {@link ReplyException}s the event bus would have given, so callers did not change.
 */
final class LocalProcesses {

  private final Vertx vertx;
  private final Map<String, TodoServer> live = new ConcurrentHashMap<>();

  LocalProcesses(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Called by a process once it can answer; from then on, messages to its list go to it. */
  void register(String list, TodoServer process) {
    live.put(list, process);
  }

  /** Called by a process as it stops; a newer incarnation that registered since is kept. */
  void unregister(String list, TodoServer process) {
    live.remove(list, process);
  }

  /**
   * Sends a command to the list's process and completes with its answer on the caller's
   * context; fails with {@link ReplyFailure#NO_HANDLERS} when no process of the list is alive
   * here and {@link ReplyFailure#TIMEOUT} when it did not answer within {@code timeoutMs}.
   */
  Future<Object> ask(String list, JsonObject command, long timeoutMs) {
    TodoServer process = live.get(list);
    if (process == null) {
      return Future.failedFuture(new ReplyException(ReplyFailure.NO_HANDLERS, "no process of list '" + list + "' here"));
    }
    Context caller = vertx.getOrCreateContext();
    Promise<Object> result = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, t -> result.tryFail(new ReplyException(ReplyFailure.TIMEOUT,
        "the process of list '" + list + "' did not answer within " + timeoutMs + " ms")));
    Promise<Object> answer = Promise.promise();
    answer.future().onComplete(ar -> caller.runOnContext(v -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        result.tryComplete(ar.result());
      } else {
        result.tryFail(ar.cause());
      }
    }));
    process.tell(new Ask(command, answer));
    return result.future();
  }

  int size() {
    return live.size();
  }

  /** One message to a list process and the promise of its answer. */
  record Ask(JsonObject body, Promise<Object> answer) {

    void reply(Object result) {
      answer.tryComplete(result);
    }

    /** A failure with a code, as {@code Message.fail} would have sent it. */
    void fail(int code, String message) {
      answer.tryFail(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, message));
    }

    /** The process this was sent to stopped before reading it: as if it had never been there. */
    void absent(String message) {
      answer.tryFail(new ReplyException(ReplyFailure.NO_HANDLERS, message));
    }
  }
}
