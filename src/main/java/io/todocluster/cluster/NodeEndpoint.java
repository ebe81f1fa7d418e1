package io.todocluster.cluster;

import io.todocluster.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.function.IntSupplier;

/** Answers questions about this node on its own address: its name and how many processes it runs. */
public final class NodeEndpoint extends VerticleBase {

  private final String nodeId;
  private final String name;
  private final IntSupplier processes;

  public NodeEndpoint(String nodeId, String name, IntSupplier processes) {
    this.nodeId = nodeId;
    this.name = name;
    this.processes = processes;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().consumer(Addresses.node(nodeId),
        message -> message.reply(new JsonObject().put("name", name).put("processes", processes.getAsInt())))
        .completion();
  }
}
