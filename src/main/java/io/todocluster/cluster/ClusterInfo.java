package io.todocluster.cluster;

import io.todocluster.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code GET /api/cluster} shows: this node, every member (from the metadata each node
 * publishes with its Vert.x node info, plus its process count asked on its own address), and the
 * partition state.
 */
public final class ClusterInfo {

  /** A member that does not answer in a second is shown without a process count. */
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(1000);

  private final Vertx vertx;
  private final ClusterManager clusterManager;
  private final Membership membership;
  private final String name;

  public ClusterInfo(Vertx vertx, ClusterManager clusterManager, Membership membership, String name) {
    this.vertx = vertx;
    this.clusterManager = clusterManager;
    this.membership = membership;
    this.name = name;
  }

  /** The metadata this node publishes about itself, for {@code EventBusOptions#setClusterNodeMetadata}. */
  public static JsonObject metadata(String name, String http, String role) {
    return new JsonObject().put("name", name).put("http", http).put("role", role).put(Formation.METADATA, true);
  }

  public Future<JsonObject> describe() {
    List<Future<JsonObject>> members = new ArrayList<>();
    for (String nodeId : membership.members()) {
      members.add(member(nodeId));
    }
    return Future.join(members).transform(ar -> {
      JsonArray list = new JsonArray();
      members.stream().filter(Future::succeeded).map(Future::result).forEach(list::add);
      return Future.succeededFuture(new JsonObject()
          .put("node", name)
          .put("members", list)
          .put("partition", membership.isMinority() ? "minority" : "majority")
          .put("settling", membership.settleState() == null ? null : membership.settleState().toJson()));
    });
  }

  private Future<JsonObject> member(String nodeId) {
    Promise<NodeInfo> info = Promise.promise();
    clusterManager.getNodeInfo(nodeId, info);
    return info.future().compose(node -> {
      JsonObject meta = node == null || node.metadata() == null ? new JsonObject() : node.metadata();
      JsonObject member = new JsonObject()
          .put("name", meta.getString("name", nodeId))
          .put("nodeId", nodeId)
          .put("http", meta.getString("http"))
          .put("role", meta.getString("role"))
          .put("processes", null);
      return vertx.eventBus().<JsonObject>request(Addresses.node(nodeId), null, ASK)
          .map(Message::body)
          .map(answer -> member.put("processes", answer.getInteger("processes")).put("jvm", answer.getJsonObject("jvm")))
          .otherwise(member);
    });
  }
}
