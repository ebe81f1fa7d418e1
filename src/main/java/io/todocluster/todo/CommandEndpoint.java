package io.todocluster.todo;

import io.todocluster.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * Serves {@code todo.commands} on the event bus (the contract): a request per command, the reply
 * as the HTTP body would be, failures as {@code ReplyException}s whose code is the HTTP status.
 */
public final class CommandEndpoint extends VerticleBase {

  private final TodoService service;

  public CommandEndpoint(TodoService service) {
    this.service = service;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<Object>consumer(Addresses.TODO_COMMANDS, this::handle).completion();
  }

  private void handle(Message<Object> message) {
    if (!(message.body() instanceof JsonObject command)) {
      message.fail(400, "a command must be a JSON object");
      return;
    }
    service.execute(command).onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else if (ar.cause() instanceof TodoException e) {
        message.fail(e.status(), e.getMessage());
      } else {
        message.fail(503, "the command could not be served now; retry");
      }
    });
  }
}
