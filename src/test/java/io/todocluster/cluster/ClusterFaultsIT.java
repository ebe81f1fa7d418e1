package io.todocluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.support.NodeCluster;
import io.todocluster.support.NodeProcess;
import io.todocluster.support.Workload;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@DisplayName("Three node JVMs under faults")
class ClusterFaultsIT {

  private static final Logger log = LoggerFactory.getLogger(ClusterFaultsIT.class);
  private static final int LISTS_PER_CLIENT = 10;

  @TempDir
  Path dir;

  /** One client per node, each writing to its own lists through that node. */
  static Workload startWorkload(NodeCluster cluster) {
    Workload workload = new Workload();
    for (NodeProcess node : cluster.nodes()) {
      List<String> lists = IntStream.range(0, LISTS_PER_CLIENT).mapToObj(i -> node.name() + "-list-" + i).toList();
      workload.start(node.name(), node.httpPort(), lists);
    }
    return workload;
  }

  static void awaitProgress(Workload workload, int more) throws Exception {
    int target = workload.acknowledgedCount() + more;
    NodeCluster.await(more + " more acknowledged writes", () -> workload.acknowledgedCount() >= target, Duration.ofSeconds(60));
  }

  /** Every list read through every given node: identical everywhere, and returned for checking. */
  static Map<String, List<String>> readEverywhere(Workload workload, List<NodeProcess> nodes) throws Exception {
    Map<String, List<String>> reads = new HashMap<>();
    for (String list : workload.acknowledged().keySet()) {
      List<String> first = Workload.read(nodes.get(0).httpPort(), list);
      for (NodeProcess node : nodes.subList(1, nodes.size())) {
        assertThat(Workload.read(node.httpPort(), list)).as(list + " read through " + node.name()).isEqualTo(first);
      }
      reads.put(list, first);
    }
    return reads;
  }

  static String busiest(NodeCluster cluster) throws Exception {
    JsonObject view = new JsonObject(cluster.node(0).get("/api/cluster").body());
    String busiest = null;
    int most = -1;
    for (Object m : view.getJsonArray("members")) {
      JsonObject member = (JsonObject) m;
      if (member.getInteger("processes", 0) > most) {
        most = member.getInteger("processes", 0);
        busiest = member.getString("name");
      }
    }
    return busiest;
  }

  @Test
  @DisplayName("kill -9 of the busiest node under writes: nothing acknowledged lost, no duplicate, no failed request to the survivors; a second kill leaves a minority that refuses to serve")
  void killNine() throws Exception {
    try (NodeCluster cluster = NodeCluster.start(dir, 3)) {
      Workload workload = startWorkload(cluster);
      awaitProgress(workload, 300);
      NodeProcess victim = cluster.byName(busiest(cluster));
      List<NodeProcess> survivors = cluster.nodes().stream().filter(n -> n != victim).toList();

      victim.kill();
      long killed = System.nanoTime();
      // every list, the victim's among them, read through a survivor: when does the last one answer?
      List<CompletableFuture<Long>> answered = new ArrayList<>();
      for (String list : workload.acknowledged().keySet()) {
        answered.add(CompletableFuture.supplyAsync(() -> {
          try {
            Workload.read(survivors.get(0).httpPort(), list);
            return (System.nanoTime() - killed) / 1_000_000;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      long recoveryMs = answered.stream().mapToLong(CompletableFuture::join).max().orElseThrow();
      awaitProgress(workload, 300);
      workload.stop();

      Map<String, List<String>> reads = readEverywhere(workload, survivors);
      log.info("kill -9 of {}: last list answered {} ms after the kill; {} writes acknowledged; "
          + "failed to survivors {}/{}; unknown on the victim {}", victim.name(), recoveryMs,
          workload.acknowledgedCount(), workload.failed(survivors.get(0).name()), workload.failed(survivors.get(1).name()),
          workload.unknown(victim.name()));
      assertThat(recoveryMs).as("every list answers again within a generous bound").isLessThan(15_000);
      assertThat(workload.violations(reads)).as("acknowledged writes lost or duplicated").isEmpty();
      assertAllAnswered(workload, survivors);

      // one more loss leaves a node that sees a minority of the last stable membership: it stops serving
      NodeProcess last = survivors.get(0);
      survivors.get(1).kill();
      NodeCluster.await("the last node reports the minority", () -> last.get("/ready").statusCode() == 503,
          Duration.ofSeconds(30));
      var refused = last.postJson("/api/lists/after/entries", new JsonObject().put("date", "2026-11-24").put("title", "x").encode());
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(refused.body()).getString("error")).contains("minority");
      assertThat(new JsonObject(last.get("/api/cluster").body()).getString("partition")).isEqualTo("minority");
    }
  }

  /** No failed and no unanswered request to these nodes. */
  static void assertAllAnswered(Workload workload, List<NodeProcess> nodes) {
    for (NodeProcess node : nodes) {
      assertThat(workload.failed(node.name())).as("failed requests to " + node.name() + ": "
          + workload.failureSamples(node.name())).isZero();
      assertThat(workload.unknown(node.name())).as("unanswered requests to " + node.name() + ": "
          + workload.unknownSamples(node.name())).isZero();
    }
  }

  @Test
  @DisplayName("SIGSTOP of the busiest node for 20 s: its lists are served by the others, nothing is lost, all nodes converge")
  void pauseTwentySeconds() throws Exception {
    try (NodeCluster cluster = NodeCluster.start(dir, 3)) {
      Workload workload = startWorkload(cluster);
      awaitProgress(workload, 300);
      NodeProcess victim = cluster.byName(busiest(cluster));
      List<NodeProcess> others = cluster.nodes().stream().filter(n -> n != victim).toList();

      victim.pause();
      long paused = System.nanoTime();
      awaitProgress(workload, 300); // the others go on serving, the victim's lists included
      long servedAfterMs = (System.nanoTime() - paused) / 1_000_000;
      // the fault lasts 20 s (longer than failure detection): that is the schedule, not a wait for a condition
      Thread.sleep(Math.max(0, 20_000 - servedAfterMs));
      victim.resume();
      cluster.awaitMembers(3);
      awaitProgress(workload, 300);
      workload.stop();

      List<NodeProcess> all = cluster.nodes();
      NodeCluster.await("all nodes read the same", () -> {
        try {
          readEverywhere(workload, all);
          return true;
        } catch (AssertionError | IllegalStateException notYet) {
          return false;
        }
      }, Duration.ofSeconds(60));
      Map<String, List<String>> reads = readEverywhere(workload, all);
      log.info("SIGSTOP of {} for 20 s: 300 more writes served {} ms into the pause; {} writes acknowledged; "
          + "failed to the others {}/{}; unknown on the victim {}", victim.name(), servedAfterMs,
          workload.acknowledgedCount(), workload.failed(others.get(0).name()), workload.failed(others.get(1).name()),
          workload.unknown(victim.name()));
      assertThat(workload.violations(reads)).as("acknowledged writes lost or duplicated").isEmpty();
      assertAllAnswered(workload, others);
    }
  }

  @Test
  @DisplayName("SIGTERM of a node under load: no failed request to the others, nothing lost; restarted, it takes back its share")
  void sigtermAndRejoin() throws Exception {
    try (NodeCluster cluster = NodeCluster.start(dir, 3)) {
      concurrentAddsThroughEveryNode(cluster);
      Workload workload = startWorkload(cluster);
      awaitProgress(workload, 300);
      NodeProcess victim = cluster.node(2);
      List<NodeProcess> others = cluster.nodes().subList(0, 2);

      assertThat(victim.terminate(Duration.ofSeconds(40))).as("exit code after SIGTERM").isZero();
      awaitProgress(workload, 300);
      NodeProcess back = cluster.restart(2);
      cluster.awaitMembers(3);
      NodeCluster.await("the restarted node hosts processes again", () -> processesOn(cluster, back.name()) > 0,
          Duration.ofSeconds(60));
      awaitProgress(workload, 300);
      workload.stop();

      Map<String, List<String>> reads = readEverywhere(workload, cluster.nodes());
      log.info("SIGTERM of {}: {} writes acknowledged; failed to the others {}/{}; restarted node hosts {} processes",
          victim.name(), workload.acknowledgedCount(), workload.failed(others.get(0).name()),
          workload.failed(others.get(1).name()), processesOn(cluster, back.name()));
      assertThat(workload.violations(reads)).as("acknowledged writes lost or duplicated").isEmpty();
      assertAllAnswered(workload, others);
    }
  }

  /** Adds to one list through all three nodes at once: distinct ids, none lost, the same list everywhere. */
  static void concurrentAddsThroughEveryNode(NodeCluster cluster) throws Exception {
    List<CompletableFuture<Long>> adds = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      NodeProcess via = cluster.node(i % 3);
      String title = "c" + i;
      adds.add(CompletableFuture.supplyAsync(() -> {
        try {
          var response = via.postJson("/api/lists/contended/entries",
              new JsonObject().put("date", "2026-11-24").put("title", title).encode());
          assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
          return new JsonObject(response.body()).getLong("id");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    List<Long> ids = adds.stream().map(CompletableFuture::join).toList();
    assertThat(ids).doesNotHaveDuplicates().hasSize(60);
    List<String> first = Workload.read(cluster.node(0).httpPort(), "contended");
    assertThat(first).hasSize(60);
    for (NodeProcess node : cluster.nodes()) {
      assertThat(Workload.read(node.httpPort(), "contended")).isEqualTo(first);
    }
  }

  static int processesOn(NodeCluster cluster, String name) throws Exception {
    JsonObject view = new JsonObject(cluster.node(0).get("/api/cluster").body());
    for (Object m : view.getJsonArray("members")) {
      JsonObject member = (JsonObject) m;
      if (name.equals(member.getString("name")) && member.getInteger("processes") != null) {
        return member.getInteger("processes");
      }
    }
    return 0;
  }
}
