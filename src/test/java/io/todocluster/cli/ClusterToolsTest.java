package io.todocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.Addresses;
import io.todocluster.node.Node;
import io.todocluster.support.Subscriptions;
import io.todocluster.support.TestCluster;
import io.todocluster.support.TestNodes;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@DisplayName("The status, send and watch commands against a two-node cluster")
class ClusterToolsTest {

  @TempDir
  static Path dataDir;
  static TestCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = TestCluster.start(2, dataDir, Duration.ofSeconds(60), c -> c.toBuilder().bridgePort(TestNodes.freePort()).build());
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  record Run(int exitCode, String out, String err) {
  }

  /** The whole command line, as {@code java -jar} would run it, with its output captured. */
  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine(Map.of(), config -> {
      throw new AssertionError("these commands never start a node");
    });
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  static String bridge(int node) {
    return "127.0.0.1:" + cluster.node(node).config().bridgePort();
  }

  @Test
  @DisplayName("status prints every member of the cluster as a table row")
  void statusPrintsBothMembers() {
    Run status = run("status", "--http", "127.0.0.1:" + cluster.node(0).httpPort());

    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out().lines()).first().asString().isEqualTo("2 members, as seen by n1");
    assertThat(status.out().lines().skip(1)).first().asString()
        .matches("NAME +NODE ID +HTTP +ROLE +PROCESSES +PARTITION");
    for (Node node : cluster.nodes()) {
      // not the HTTP column: a node started on port 0 advertises the port it was given, 0
      String nodeId = ((VertxInternal) node.vertx()).clusterManager().getNodeId();
      assertThat(status.out().lines().filter(line -> line.startsWith(node.config().name() + " ")))
          .as("the row of %s", node.config().name())
          .singleElement().asString().matches(".* " + nodeId + " .* server .*majority");
    }
  }

  @Test
  @DisplayName("send add through one node's bridge prints the entry, and send list through the other's shows it")
  void sendAddThenList() {
    Run added = run("send", "--bridge", bridge(1), "add", "--list", "cli-send", "--date", "2026-11-22", "--title", "Dentist");
    assertThat(added.exitCode()).as(added.err()).isZero();
    JsonObject entry = new JsonObject(added.out().strip());
    assertThat(entry.getString("title")).isEqualTo("Dentist");
    assertThat(entry.getLong("id")).isPositive();

    Run listed = run("send", "--bridge", bridge(0), "list", "--list", "cli-send", "--date", "2026-11-22");
    assertThat(listed.exitCode()).as(listed.err()).isZero();
    assertThat(new JsonArray(listed.out().strip())).containsExactly(entry);

    Run updated = run("send", "--bridge", bridge(0), "update", "--list", "cli-send", "--id", entry.getString("id"),
        "--title", "Doctor");
    assertThat(updated.exitCode()).as(updated.err()).isZero();
    assertThat(new JsonObject(updated.out().strip()).getString("title")).isEqualTo("Doctor");

    Run deleted = run("send", "--bridge", bridge(1), "delete", "--list", "cli-send", "--id", entry.getString("id"));
    assertThat(deleted.exitCode()).as(deleted.err()).isZero();
    assertThat(deleted.out()).isEmpty();
  }

  @Test
  @DisplayName("send prints a failed command's message on stderr and exits 1")
  void sendFailure() {
    Run missing = run("send", "--bridge", bridge(0), "delete", "--list", "cli-missing", "--id", "99");

    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.out()).isEmpty();
    assertThat(missing.err()).contains("no entry 99").contains("failure code 404");
  }

  @Test
  @DisplayName("a bad command line exits 2 before anything is sent")
  void badUsage() {
    assertThat(run("send", "--bridge", bridge(0), "add", "--list", "cli-bad", "--date", "2026-02-30", "--title", "x")
        .exitCode()).isEqualTo(2);
    assertThat(run("send", "--bridge", bridge(0), "add", "--list", "cli-bad").exitCode()).isEqualTo(2);
    assertThat(run("send", "--bridge", bridge(0), "update", "--list", "cli-bad", "--id", "1").exitCode()).isEqualTo(2);
    assertThat(run("send", "--bridge", bridge(0)).exitCode()).isEqualTo(2);
    assertThat(run("watch", "--bridge", "no-port").exitCode()).isEqualTo(2);
    assertThat(run("status", "--http", "localhost:99999").exitCode()).isEqualTo(2);
    assertThat(run("send", "--bridge", bridge(0), "list", "--list", "cli-bad").exitCode())
        .as("the same command line, correct, reaches the node").isZero();
  }

  @Test
  @DisplayName("status, send and watch exit 1 when nothing listens where they are pointed")
  void unreachable() {
    String nobody = "127.0.0.1:" + TestNodes.freePort();
    Run status = run("status", "--http", nobody);
    Run send = run("send", "--bridge", nobody, "list", "--list", "cli-x");
    Run watch = run("watch", "--bridge", nobody);

    assertThat(status.exitCode()).isEqualTo(1);
    assertThat(status.err()).contains("cannot reach " + nobody);
    assertThat(send.exitCode()).isEqualTo(1);
    assertThat(send.err()).contains("cannot reach the bridge at " + nobody);
    assertThat(watch.exitCode()).isEqualTo(1);
    assertThat(watch.err()).contains("cannot reach the bridge at " + nobody);
  }

  @Test
  @DisplayName("watch without --list prints cluster.events: a node that joins is announced")
  void watchPrintsClusterEvents() throws Exception {
    CompletableFuture<Run> watching = CompletableFuture.supplyAsync(
        () -> run("watch", "--bridge", bridge(0), "--count", "1"));
    Subscriptions.awaitVisible(cluster.nodes(), Addresses.CLUSTER_EVENTS);

    Node joining = TestNodes.start(TestNodes.config("n3", dataDir.resolve("n3"), Duration.ofSeconds(60),
        TestNodes.freePort(), cluster.node(0).config().seeds()));
    try {
      Run watch = watching.get(30, TimeUnit.SECONDS);
      assertThat(watch.exitCode()).as(watch.err()).isZero();
      assertThat(watch.err()).contains("watching " + Addresses.CLUSTER_EVENTS);
      assertThat(watch.out().lines()).singleElement().satisfies(line -> {
        JsonObject message = new JsonObject(line);
        assertThat(message.getString("address")).isEqualTo(Addresses.CLUSTER_EVENTS);
        assertThat(message.getJsonObject("body").getString("type")).isEqualTo("joined");
        assertThat(message.getJsonObject("body").getString("node"))
            .isEqualTo(((VertxInternal) joining.vertx()).clusterManager().getNodeId());
      });
    } finally {
      TestNodes.stop(joining);
      cluster.awaitServers(2);
    }
  }

  @Test
  @DisplayName("watch --list prints the event of an entry added through the other node as one JSON line")
  void watchPrintsListEvents() throws Exception {
    String list = "cli-watch";
    CompletableFuture<Run> watching = CompletableFuture.supplyAsync(
        () -> run("watch", "--bridge", bridge(0), "--list", list, "--count", "1"));
    Subscriptions.awaitVisible(cluster.nodes(), Addresses.todoEvents(list));

    Run added = run("send", "--bridge", bridge(1), "add", "--list", list, "--date", "2026-11-23", "--title", "Movies");
    assertThat(added.exitCode()).as(added.err()).isZero();
    Run watch = watching.get(30, TimeUnit.SECONDS);

    assertThat(watch.exitCode()).as(watch.err()).isZero();
    assertThat(watch.err()).contains("watching " + Addresses.todoEvents(list));
    assertThat(watch.out().lines()).singleElement().satisfies(line -> {
      JsonObject message = new JsonObject(line);
      assertThat(message.getString("address")).isEqualTo(Addresses.todoEvents(list));
      assertThat(message.getJsonObject("body").getString("type")).isEqualTo("added");
      assertThat(message.getJsonObject("body").getJsonObject("entry")).isEqualTo(new JsonObject(added.out().strip()));
    });
  }
}
