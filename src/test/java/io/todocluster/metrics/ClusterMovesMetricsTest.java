package io.todocluster.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.Addresses;
import io.todocluster.node.Node;
import io.todocluster.support.TestCluster;
import io.todocluster.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The cluster's moves in the metrics of three nodes in one JVM")
class ClusterMovesMetricsTest {

  /** Enough lists that every node owns some of them but for a chance of about 2 in a million. */
  private static final int LISTS = 32;

  @TempDir
  Path dataDir;

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** Reads the node's own registry through the same exporter as GET /metrics. */
  static PrometheusText page(Node node) {
    return PrometheusText.parse(node.metrics().scrape());
  }

  static double sum(List<Node> nodes, String series) {
    return nodes.stream().mapToDouble(n -> page(n).value(series)).sum();
  }

  @Test
  @DisplayName("a join moves lists to the new node (a rebalance), and a node's loss restarts its lists on the others (a failover)")
  void rebalanceAndFailover() throws Exception {
    List<Integer> ports = List.of(TestNodes.freePort(), TestNodes.freePort(), TestNodes.freePort());
    List<String> seeds = ports.stream().map(p -> "127.0.0.1:" + p).toList();
    List<Node> running = new ArrayList<>();
    try {
      Node a = start("moves-a", ports.get(0), seeds, running);
      List<Future<?>> added = new ArrayList<>();
      for (int i = 0; i < LISTS; i++) {
        added.add(a.vertx().eventBus().request(Addresses.TODO_COMMANDS, new JsonObject().put("op", "add")
            .put("list", "moving-" + i).put("date", "2026-11-22").put("title", "t"), new DeliveryOptions().setSendTimeout(30_000)));
      }
      await(Future.all(added));
      assertThat(page(a).value("todo_processes_live")).isEqualTo(LISTS);
      assertThat(page(a).value("todo_cluster_rebalance_duration_seconds_count")).isZero();

      Node b = start("moves-b", ports.get(1), seeds, running);
      TestCluster.await("the first node rebalanced", () -> page(a).value("todo_cluster_rebalance_duration_seconds_count") == 1);
      double moved = page(a).value("todo_cluster_rebalance_processes_total");
      assertThat(moved).as("some lists now belong to the new node").isBetween(1.0, LISTS - 1.0);
      TestCluster.await("the moved lists run on the new node", () -> page(b).value("todo_processes_live") == moved);

      Node c = start("moves-c", ports.get(2), seeds, running);
      TestCluster.await("every node places over three servers", () -> running.stream().allMatch(n -> n.membership().placement().members().size() == 3));
      TestCluster.await("the first two nodes rebalanced again", () -> sum(running, "todo_cluster_rebalance_duration_seconds_count") >= 2);
      // a list whose adoption could not start yet starts on its next request: ask every list once
      touchAll(a);
      TestCluster.await("every list runs once, over three nodes", () -> running.stream().allMatch(n -> page(n).value("todo_processes_live") > 0)
          && sum(running, "todo_processes_live") == LISTS && running.stream().allMatch(n -> page(n).value("todo_cluster_members") == 3));
      double lost = page(c).value("todo_processes_live");

      // gone without a handoff, as after a crash: the survivors restart its lists from the registry
      await(c.abandon());
      running.remove(c);
      TestCluster.await("the survivors failed over the lost node's lists",
          () -> sum(running, "todo_cluster_failover_processes_total") == lost);
      TestCluster.await("every list runs again", () -> sum(running, "todo_processes_live") == LISTS);
      assertThat(sum(running, "todo_cluster_failover_duration_seconds_count")).as("one failover per survivor at most")
          .isBetween(1.0, 2.0);
      assertThat(sum(running, "todo_partition_minority")).as("two of three are the majority").isZero();
    } finally {
      for (int i = running.size() - 1; i >= 0; i--) {
        TestNodes.stop(running.get(i));
      }
    }
  }

  private static void touchAll(Node via) throws Exception {
    List<Future<?>> read = new ArrayList<>();
    for (int i = 0; i < LISTS; i++) {
      read.add(via.vertx().eventBus().request(Addresses.TODO_COMMANDS, new JsonObject().put("op", "entries")
          .put("list", "moving-" + i), new DeliveryOptions().setSendTimeout(30_000)));
    }
    await(Future.all(read));
  }

  private Node start(String name, int port, List<String> seeds, List<Node> running) {
    Node node = TestNodes.start(TestNodes.config(name, dataDir.resolve(name), Duration.ofSeconds(60), port, seeds));
    running.add(node);
    return node;
  }
}
