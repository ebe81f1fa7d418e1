package io.todocluster.support;

import io.todocluster.cluster.ClusterSettings;
import io.todocluster.node.Node;
import io.todocluster.node.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Nodes for tests: loopback only, ephemeral ports, their own data dir. */
public final class TestNodes {

  private TestNodes() {
  }

  public static NodeConfig config(String name, Path dataDir, Duration idleTimeout) {
    return config(name, dataDir, idleTimeout, freePort(), List.of());
  }

  public static NodeConfig config(String name, Path dataDir, Duration idleTimeout, int clusterPort, List<String> seeds) {
    return config(name, dataDir, idleTimeout, clusterPort, seeds, NodeConfig.Role.SERVER);
  }

  public static NodeConfig config(String name, Path dataDir, Duration idleTimeout, int clusterPort, List<String> seeds,
      NodeConfig.Role role) {
    // the TCP bridge off (a test that wants it sets a free port), no secret, two owners, seeds
    // discovery, no dashboard crash route, no rate limit, no fsync: the defaults of a loopback node
    return new NodeConfig(name, "127.0.0.1", 0, "127.0.0.1", clusterPort, 0, seeds, 0, dataDir,
        role, null, idleTimeout, 2, false, ClusterSettings.Discovery.TCPPING, null, 0, false);
  }

  public static NodeConfig config(String name, Path dataDir) {
    return config(name, dataDir, Duration.ofSeconds(60));
  }

  /**
   * Starts a node and waits until it serves: started, its cluster formed, its share of the store
   * received (tests run on the
   * JUnit thread, never on an event loop).
   */
  public static Node start(NodeConfig config) {
    try {
      return Node.start(config).compose(node -> node.formation().serves().map(node))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("node " + config.name() + " did not start", e);
    }
  }

  public static void stop(Node node) {
    if (node == null) {
      return;
    }
    try {
      node.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("node did not stop", e);
    }
  }

  /**
   * A free port below the kernel's ephemeral range (32768 and up here), so that no outgoing
   * connection or port-0 listener of another node can take it between now and the bind.
   */
  public static synchronized int freePort() {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = 20_000 + RANDOM.nextInt(12_000);
      if (!GIVEN.add(port)) {
        continue;
      }
      try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException inUse) {
        // try another
      }
    }
    throw new UncheckedIOException(new IOException("no free port found"));
  }

  private static final java.util.Random RANDOM = new java.util.Random();
  private static final java.util.Set<Integer> GIVEN = new java.util.HashSet<>();
}
