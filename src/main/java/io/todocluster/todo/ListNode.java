package io.todocluster.todo;

import io.todocluster.cluster.ClusterManagerFactory;
import io.vertx.core.json.JsonObject;

/** Where a list's process runs: the list's name and its node's member id (Erlang's {@code whereis}). */
public record ListNode(String list, String nodeId) {

  /** The node's name as users gave it (--name), without this run's suffix. */
  public String node() {
    return ClusterManagerFactory.nodeName(nodeId);
  }

  public JsonObject toJson() {
    return new JsonObject().put("list", list).put("node", node()).put("nodeId", nodeId);
  }
}
