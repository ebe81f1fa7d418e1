package io.todocluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.support.NodeCluster;
import io.todocluster.support.NodeProcess;
import io.todocluster.support.Workload;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A whole cluster of node JVMs")
class ClusterRestartIT {

  @TempDir
  Path dir;

  @Test
  @DisplayName("keeps every acknowledged entry across a rolling stop of all nodes and a restart of all")
  void wholeClusterRestart() throws Exception {
    try (NodeCluster cluster = NodeCluster.start(dir, 3)) {
      List<String> lists = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        String list = "durable-" + i;
        lists.add(list);
        NodeProcess via = cluster.node(i % 3);
        var response = via.postJson("/api/lists/" + list + "/entries",
            new JsonObject().put("date", "2026-11-24").put("title", "entry of " + list).encode());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
      }
      // SIGTERM one after the other: each leaves gracefully and the store rebalances to the rest
      for (int i = 2; i >= 0; i--) {
        assertThat(cluster.node(i).terminate(Duration.ofSeconds(40))).isZero();
      }
      // the last node to leave holds every entry: it starts first, the others join it
      cluster.restart(0);
      cluster.restart(1);
      cluster.restart(2);
      cluster.awaitMembers(3);
      for (String list : lists) {
        for (NodeProcess node : cluster.nodes()) {
          assertThat(Workload.read(node.httpPort(), list)).as(list + " through " + node.name())
              .containsExactly("entry of " + list);
        }
      }
    }
  }
}
