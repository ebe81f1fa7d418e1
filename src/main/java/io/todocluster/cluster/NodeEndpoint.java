package io.todocluster.cluster;

import io.todocluster.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * Answers questions about this node on its own address. An empty message asks for its summary:
 * its name, how many processes it runs and its JVM (uptime, heap). A message
 * {@code {"ask": <question>, ...}} is answered by the handler registered for that question (the
 * node decides which it offers: its supervision tree, its processes, ...), so that this class
 * needs to know nothing of the layers above it.
 */
public final class NodeEndpoint extends VerticleBase {

  /** The field of a message that names the question. */
  public static final String ASK = "ask";
  public static final String ASK_TREE = "tree";
  public static final String ASK_PROCESSES = "processes";
  public static final String ASK_CRASH = "crash";

  private final String nodeId;
  private final String name;
  private final IntSupplier processes;
  private final Map<String, Function<JsonObject, Future<JsonObject>>> questions;

  public NodeEndpoint(String nodeId, String name, IntSupplier processes) {
    this(nodeId, name, processes, Map.of());
  }

  public NodeEndpoint(String nodeId, String name, IntSupplier processes,
      Map<String, Function<JsonObject, Future<JsonObject>>> questions) {
    this.nodeId = nodeId;
    this.name = name;
    this.processes = processes;
    this.questions = Map.copyOf(questions);
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<Object>consumer(Addresses.node(nodeId), this::handle).completion();
  }

  private void handle(Message<Object> message) {
    String question = message.body() instanceof JsonObject body ? body.getString(ASK) : null;
    if (question == null) {
      message.reply(new JsonObject().put("name", name).put("processes", processes.getAsInt()).put("jvm", jvm()));
      return;
    }
    Function<JsonObject, Future<JsonObject>> handler = questions.get(question);
    if (handler == null) {
      message.fail(404, "node " + name + " does not answer '" + question + "'");
      return;
    }
    Future<JsonObject> answer;
    try {
      answer = handler.apply((JsonObject) message.body());
    } catch (RuntimeException error) {
      answer = Future.failedFuture(error);
    }
    answer.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else {
        int code = ar.cause() instanceof ReplyException reply ? reply.failureCode() : 500;
        message.fail(code, "node " + name + " could not answer '" + question + "': " + ar.cause().getMessage());
      }
    });
  }

  /** Cheap reads of the JVM's own counters: fine on an event loop. */
  private static JsonObject jvm() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return new JsonObject()
        .put("uptimeMs", ManagementFactory.getRuntimeMXBean().getUptime())
        .put("heapUsed", heap.getUsed())
        .put("heapMax", heap.getMax());
  }
}
