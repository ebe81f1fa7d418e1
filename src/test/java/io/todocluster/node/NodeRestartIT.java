package io.todocluster.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.support.NodeProcess;
import io.todocluster.support.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A node run from the fat jar")
class NodeRestartIT {

  static final Duration START = Duration.ofSeconds(60);

  @TempDir
  Path dataDir;

  NodeProcess start() throws Exception {
    return NodeProcess.start("restart-it", dataDir, TestNodes.freePort(), TestNodes.freePort()).awaitReady(START);
  }

  static void add(NodeProcess node, String title) throws Exception {
    var response = node.postJson("/api/lists/durable/entries", new JsonObject().put("date", "2026-11-24").put("title", title).encode());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }

  static List<Object> titles(NodeProcess node) throws Exception {
    var response = node.get("/api/lists/durable/entries");
    assertThat(response.statusCode()).isEqualTo(200);
    return new JsonArray(response.body()).stream().map(e -> ((JsonObject) e).getString("title")).map(Object.class::cast).toList();
  }

  @Test
  @DisplayName("keeps every acknowledged entry across a SIGTERM restart and a kill -9 restart, and exits 0 on SIGTERM")
  void entriesSurviveRestarts() throws Exception {
    try (NodeProcess first = start()) {
      add(first, "before SIGTERM");
      assertThat(first.terminate(Duration.ofSeconds(40))).as("exit code after SIGTERM").isZero();
      assertThat(first.log()).contains("supervisor=root event=shutdown");
    }
    try (NodeProcess second = start()) {
      assertThat(titles(second)).containsExactly("before SIGTERM");
      add(second, "before kill -9");
      second.kill();
    }
    try (NodeProcess third = start()) {
      assertThat(titles(third)).containsExactly("before SIGTERM", "before kill -9");
      add(third, "after both");
      assertThat(titles(third)).containsExactly("before SIGTERM", "before kill -9", "after both");
      assertThat(third.terminate(Duration.ofSeconds(40))).isZero();
    }
  }

  @Test
  @DisplayName("answers --help with exit 0 and a bad flag value with one line and exit 2")
  void commandLine() throws Exception {
    Process help = NodeProcess.run(List.of("--help"));
    String helpText = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(help.waitFor()).isZero();
    assertThat(helpText).contains("--http-port", "--seeds", "--data-dir", "--secret");

    Process bad = NodeProcess.run(List.of("--http-port", "abc"));
    String error = new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bad.waitFor()).isEqualTo(2);
    assertThat(error.strip().lines()).hasSize(1);
    assertThat(error).contains("--http-port");
  }
}
