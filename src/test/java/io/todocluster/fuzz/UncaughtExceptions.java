package io.todocluster.fuzz;

import io.todocluster.Addresses;
import io.todocluster.node.Node;
import io.todocluster.supervision.SupervisorEvents;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Counts the exceptions that escape a handler on a node: those reaching the Vert.x exception
 * handler, and those reaching a supervised child's context, which the child reports as an
 * abnormal exit (its supervisor then restarts it).
 */
final class UncaughtExceptions implements AutoCloseable {

  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final Node node;
  private final MessageConsumer<JsonObject> reports;

  private UncaughtExceptions(Node node) throws Exception {
    this.node = node;
    node.vertx().exceptionHandler(error -> seen.add("uncaught: " + error));
    reports = node.vertx().eventBus().<JsonObject>consumer(Addresses.SUPERVISOR_EVENTS, message -> {
      JsonObject report = message.body();
      boolean abnormalExit = SupervisorEvents.CHILD_EXITED.equals(report.getString("event"))
          && "abnormal".equals(report.getString("kind"));
      if (abnormalExit || SupervisorEvents.INTENSITY_EXCEEDED.equals(report.getString("event"))) {
        seen.add(report.encode());
      }
    });
    reports.completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static UncaughtExceptions on(Node node) throws Exception {
    return new UncaughtExceptions(node);
  }

  List<String> seen() {
    return List.copyOf(seen);
  }

  @Override
  public void close() throws Exception {
    node.vertx().exceptionHandler(null);
    reports.unregister().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
