package io.todocluster.cluster;

import static io.todocluster.cluster.ClusterRoutingTest.add;
import static io.todocluster.cluster.ClusterRoutingTest.await;
import static io.todocluster.cluster.ClusterRoutingTest.command;
import static io.todocluster.cluster.ClusterRoutingTest.entries;
import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.node.Node;
import io.todocluster.support.TestCluster;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("When the JGroups coordinator leaves gracefully")
class CoordinatorLeaveTest {

  @TempDir
  Path dataDir;
  TestCluster cluster;

  @BeforeEach
  void startCluster() throws Exception {
    cluster = TestCluster.start(3, dataDir, Duration.ofMinutes(10));
  }

  @AfterEach
  void stopCluster() {
    cluster.close();
  }

  @Test
  @DisplayName("the other nodes' list processes keep running (same incarnation) and their lists serve every entry after the store settles")
  void processesSurviveAGracefulCoordinatorLeave() throws Exception {
    Node coordinator = cluster.node(0);
    String coordinatorId = coordinator.membership().self();
    assertThat(cluster.node(1).membership().coordinator()).as("the first node started is the coordinator")
        .isEqualTo(coordinatorId);
    Map<String, String> incarnations = new HashMap<>();
    Map<String, Node> hosts = new HashMap<>();
    for (int i = 0; incarnations.size() < 20 && i < 1_000; i++) {
      String list = "kept-" + i;
      String owner = coordinator.membership().owner(list);
      if (owner.equals(coordinatorId)) {
        continue;
      }
      await(command(coordinator, add(list, "before")));
      Node host = cluster.nodes().stream().filter(n -> n.membership().self().equals(owner)).findFirst().orElseThrow();
      hosts.put(list, host);
      incarnations.put(list, host.cache().supervisor().whereis(list));
    }
    assertThat(incarnations).hasSize(20).doesNotContainValue(null);

    cluster.stop(coordinator);
    TestCluster.await("the survivors have settled with 2 servers", () -> cluster.nodes().stream()
        .allMatch(n -> n.membership().placement().members().size() == 2 && !n.membership().isSettling()));

    for (Map.Entry<String, String> kept : incarnations.entrySet()) {
      String list = kept.getKey();
      assertThat(hosts.get(list).cache().supervisor().whereis(list)).as("the process of %s", list)
          .isEqualTo(kept.getValue());
      await(command(cluster.node(0), add(list, "after")));
      JsonArray entries = (JsonArray) await(command(cluster.node(1), entries(list)));
      assertThat(entries).as(list).hasSize(2);
    }
  }
}
