package io.todocluster.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke check that real node JVMs run in namespaces and form a cluster across the bridge. */
@DisplayName("Node JVMs from the fat jar in network namespaces")
class NetnsNodeIT {

  private static final Duration READY = Duration.ofSeconds(60);

  @BeforeEach
  void needsRootAndTools() {
    assumeThat(Prerequisites.missing()).as("%s", Prerequisites.missing().orElse("")).isEmpty();
  }

  private static Path jar() {
    Path jar = Path.of(System.getProperty("todo.jar", "target/todo-cluster.jar"));
    assertThat(jar).as("run mvn package first").isRegularFile();
    return jar.toAbsolutePath();
  }

  @Test
  @DisplayName("listen on their namespace addresses, are reached from the test JVM via the bridge, see each other, notice an isolation and its heal, and stop on SIGTERM")
  void threeNodes(@TempDir Path dir) throws Exception {
    try (TestNetwork network = TestNetwork.create(3)) {
      NetnsNode[] nodes = new NetnsNode[3];
      try {
        for (int i = 0; i < 3; i++) {
          nodes[i] = NetnsNode.start(network, i, jar(), dir.resolve("n" + i));
        }
        for (NetnsNode node : nodes) {
          node.awaitReady(READY);
        }
        long javaPid = nodes[0].pid();
        assertThat(Files.readString(Path.of("/proc", Long.toString(javaPid), "comm")).strip()).isEqualTo("java");
        assertThat(Sh.check("ip", "netns", "identify", Long.toString(javaPid)).stdout().strip())
            .isEqualTo(network.namespace(0));
        assertThat(network.exec(0, "ss", "-ltnH").stdout()).contains(network.host(0) + ":" + NetnsNode.HTTP_PORT);

        for (NetnsNode node : nodes) {
          awaitCluster(node, body -> body.contains("\"n0\"") && body.contains("\"n1\"") && body.contains("\"n2\""));
        }

        // The fault path end to end: a silent cut inside the namespaces, seen by the nodes.
        Nemesis nemesis = new Nemesis(network);
        nemesis.isolate(0);
        awaitCluster(nodes[0], body -> body.contains("\"partition\":\"minority\""));
        nemesis.heal();
        awaitCluster(nodes[0], body -> body.contains("\"partition\":\"majority\"") && body.contains("\"n2\""));

        for (NetnsNode node : nodes) {
          assertThat(node.terminate(Duration.ofSeconds(30))).as(node.log()).isZero();
        }
      } finally {
        for (NetnsNode node : nodes) {
          if (node != null) {
            node.close();
          }
        }
      }
    }
  }

  private static String awaitCluster(NetnsNode node, Predicate<String> wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String body = "";
    while (System.nanoTime() < deadline) {
      body = node.get("/api/cluster").body();
      if (wanted.test(body)) {
        return body;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("cluster view not as wanted after 60s: " + body + "\n" + node.log());
  }
}
