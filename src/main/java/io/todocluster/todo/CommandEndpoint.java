package io.todocluster.todo;

import io.todocluster.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * Serves {@code todo.commands} on the event bus (the contract): a request per command, the reply
 * as the HTTP body would be, failures as {@code ReplyException}s whose code is the HTTP status;
 * and this node's own command address, where other nodes route the commands of lists it owns.
 */
public final class CommandEndpoint extends VerticleBase {

  private final TodoService service;
  private final String nodeId;
  private int inFlight;
  private Promise<Void> drained;

  public CommandEndpoint(TodoService service, String nodeId) {
    this.service = service;
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    return Future.all(
        vertx.eventBus().<Object>consumer(Addresses.TODO_COMMANDS, m -> handle(m, false)).completion(),
        vertx.eventBus().<Object>consumer(Addresses.nodeCommands(nodeId), m -> handle(m, true)).completion());
  }

  /**
   * Stops taking commands (Vert.x unregisters the consumers when this returns) after the ones
   * already taken are answered: a node that leaves drops no request it accepted.
   */
  @Override
  public Future<?> stop() {
    if (inFlight == 0) {
      return Future.succeededFuture();
    }
    drained = Promise.promise();
    return drained.future();
  }

  /** From a client anywhere, or routed here by another node because this node owns the list. */
  private void handle(Message<Object> message, boolean routedHere) {
    if (!(message.body() instanceof JsonObject command)) {
      message.fail(400, "a command must be a JSON object");
      return;
    }
    inFlight++;
    (routedHere ? service.executeHere(command) : service.execute(command)).onComplete(ar -> {
      if (--inFlight == 0 && drained != null) {
        drained.tryComplete();
      }
      if (ar.succeeded() && routedHere && ar.result() instanceof EntriesReply entries
          && Boolean.TRUE.equals(command.getValue(Commands.ENTRIES_AS_TEXT))) {
        message.reply(entries.toBuffer());
      } else if (ar.succeeded()) {
        message.reply(ar.result());
      } else if (ar.cause() instanceof TodoException e) {
        message.fail(e.status(), e.getMessage());
      } else {
        message.fail(503, "the command could not be served now; retry");
      }
    });
  }
}
