package io.todocluster.todo;

import io.todocluster.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The front door of the to-do system: validates a command and hands it to its list's process,
 * starting the process when none answers. A write the process did not apply (it was stopping,
 * restarting or found itself stale) is retried on the next incarnation, so a client sees a slower
 * answer, not a failure.
 */
public final class TodoService {

  /** A list process answers from memory or after one store write; 10 s means it is in trouble. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** Enough for a process that is stopping and one that is restarting; beyond, something is wrong. */
  private static final int MAX_ATTEMPTS = 4;

  private final Vertx vertx;
  private final TodoCache cache;
  private final DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT.toMillis());

  public TodoService(Vertx vertx, TodoCache cache) {
    this.vertx = vertx;
    this.cache = cache;
  }

  /** Runs a raw command (as sent on {@code todo.commands}); the result is the reply body. */
  public Future<Object> execute(JsonObject raw) {
    JsonObject command;
    try {
      command = Commands.validate(raw);
    } catch (TodoException e) {
      return Future.failedFuture(e);
    }
    return call(command.getString("list"), command, 1);
  }

  private Future<Object> call(String list, JsonObject command, int attempt) {
    return vertx.eventBus().request(Addresses.listProcess(list), command, delivery)
        .map(Message::body)
        .recover(error -> {
          if (!(error instanceof ReplyException reply)) {
            return Future.failedFuture(error);
          }
          boolean absent = reply.failureType() == ReplyFailure.NO_HANDLERS || discarded(reply);
          boolean notApplied = reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
              && reply.failureCode() == TodoServer.NOT_APPLIED;
          if ((absent || notApplied) && attempt < MAX_ATTEMPTS) {
            return cache.ensureRunning(list)
                .recover(cause -> Future.failedFuture(cause instanceof TodoException ? cause
                    : TodoException.unavailable("the list '" + list + "' cannot be loaded now; retry later")))
                .compose(v -> call(list, command, attempt + 1));
          }
          return Future.failedFuture(translate(reply));
        });
  }

  /**
   * Vert.x answers a request that was queued for a consumer unregistered before handling it
   * (the process stopped meanwhile) with a TIMEOUT failure saying so: the process never saw it.
   */
  private static boolean discarded(ReplyException reply) {
    return reply.failureType() == ReplyFailure.TIMEOUT && reply.getMessage() != null
        && reply.getMessage().startsWith("Discarded the request");
  }

  private static TodoException translate(ReplyException reply) {
    return switch (reply.failureType()) {
      case RECIPIENT_FAILURE -> reply.failureCode() == TodoServer.NOT_APPLIED
          ? TodoException.unavailable("the list's process is restarting; retry")
          : new TodoException(reply.failureCode(), reply.getMessage());
      case TIMEOUT -> TodoException.unavailable("the list's process did not answer in time");
      default -> TodoException.unavailable("the list's process is not available; retry");
    };
  }
}
