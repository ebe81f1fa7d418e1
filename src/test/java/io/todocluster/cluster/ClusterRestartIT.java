package io.todocluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.support.NodeCluster;
import io.todocluster.support.NodeProcess;
import io.todocluster.support.Workload;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A whole cluster of node JVMs")
class ClusterRestartIT {

  private static final Duration STOP = Duration.ofSeconds(40);
  private static final int LISTS = 12;

  @TempDir
  Path dir;

  /** What was acknowledged, per list, in order. */
  private final Map<String, List<String>> acknowledged = new LinkedHashMap<>();

  @Test
  @DisplayName("stopped one node after the other and started in the worst order, waits for the newest copies and loses nothing")
  void restartInTheWorstOrder() throws Exception {
    try (NodeCluster cluster = NodeCluster.start(dir, 3)) {
      write(cluster, "all", 0, 1, 2);
      assertThat(cluster.node(0).terminate(STOP)).isZero();
      write(cluster, "without-n1", 1, 2);
      assertThat(cluster.node(1).terminate(STOP)).isZero();
      write(cluster, "n3-alone", 2);
      assertThat(cluster.node(2).terminate(STOP)).isZero();

      // n1 stopped first: its copies are the oldest, and alone it must serve nothing
      NodeProcess first = cluster.launchAgain(0);
      awaitWaiting(first, "waiting for 1 more of the 3 members");
      var refused = first.get("/api/lists/list-0/entries");
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).contains("waiting for").contains("nothing was applied");
      // n2 remembers serving with n2 and n3 only: both of them are needed
      awaitWaiting(cluster.launchAgain(1), "n3");
      assertThat(first.get("/ready").statusCode()).isEqualTo(503);
      cluster.launchAgain(2);
      cluster.awaitReady();
      assertEverythingEverywhere(cluster);
      write(cluster, "after", 0, 1, 2);
      assertEverythingEverywhere(cluster);
    }
  }

  @Test
  @DisplayName("a node stopped right after another left remembers the membership without it")
  void stoppedRightAfterALeave() throws Exception {
    try (NodeCluster cluster = NodeCluster.start(dir, 3)) {
      NodeProcess n1 = cluster.node(0);
      NodeProcess n2 = cluster.node(1);
      n1.requestStop();
      long deadline = System.nanoTime() + STOP.toNanos();
      while (NodeCluster.members(n2) != 2) { // no pause between polls: n2 is asked to stop as soon as it can be
        assertThat(System.nanoTime()).as("n2 sees n1 leave within " + STOP).isLessThan(deadline);
      }
      n2.requestStop();
      assertThat(n1.awaitExit(STOP)).isZero();
      assertThat(n2.awaitExit(STOP)).isZero();
      // with n1 in it, a restart of n1 and n2 alone would form a majority without n3's newest writes
      assertThat(LastMembership.load(dir.resolve("n2"))).map(LastMembership::members).contains(List.of("n2", "n3"));
    }
  }

  @Test
  @DisplayName("killed at once (kill -9 of every node) and started in another order, loses nothing and gives no id twice")
  void powerLoss() throws Exception {
    try (NodeCluster cluster = NodeCluster.start(dir, 3)) {
      write(cluster, "before", 0, 1, 2);
      for (NodeProcess node : cluster.nodes()) {
        node.kill();
      }
      cluster.launchAgain(2);
      cluster.launchAgain(0);
      cluster.launchAgain(1);
      cluster.awaitReady();
      assertEverythingEverywhere(cluster);
      write(cluster, "after", 2, 0, 1);
      assertEverythingEverywhere(cluster);
    }
  }

  /** One entry per list through each given node, each acknowledged (201). */
  private void write(NodeCluster cluster, String phase, int... through) throws Exception {
    for (int i = 0; i < LISTS; i++) {
      String list = "list-" + i;
      for (int n : through) {
        String title = phase + " via " + cluster.node(n).name();
        var response = cluster.node(n).postJson("/api/lists/" + list + "/entries",
            new JsonObject().put("date", "2026-12-02").put("title", title).encode());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        acknowledged.computeIfAbsent(list, l -> new ArrayList<>()).add(title);
      }
    }
  }

  private void assertEverythingEverywhere(NodeCluster cluster) throws Exception {
    for (var list : acknowledged.entrySet()) {
      for (NodeProcess node : cluster.nodes()) {
        assertThat(Workload.read(node.httpPort(), list.getKey())).as(list.getKey() + " through " + node.name())
            .containsExactlyElementsOf(list.getValue());
      }
    }
  }

  private static void awaitWaiting(NodeProcess node, String why) throws Exception {
    String[] last = {"nothing: not listening"};
    try {
      NodeCluster.await(node.name() + "'s /ready says it is " + why, () -> {
        try {
          var ready = node.get("/ready");
          last[0] = ready.statusCode() + " " + ready.body();
          return ready.statusCode() == 503 && ready.body().contains(why);
        } catch (java.io.IOException notListening) {
          return false;
        }
      }, Duration.ofSeconds(90));
    } catch (AssertionError timedOut) {
      throw new AssertionError(timedOut.getMessage() + "; it last said " + last[0], timedOut);
    }
  }
}
