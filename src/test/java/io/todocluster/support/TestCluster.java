package io.todocluster.support;

import io.todocluster.node.Node;
import io.todocluster.node.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** Several nodes in one JVM, each with its own Vert.x, joined over loopback through TCPPING seeds. */
public final class TestCluster implements AutoCloseable {

  private final List<Node> nodes = new ArrayList<>();

  private TestCluster() {
  }

  public static TestCluster start(int size, Path dataDir, Duration idleTimeout) throws Exception {
    return start(size, dataDir, idleTimeout, UnaryOperator.identity());
  }

  /** Each node's configuration passes through {@code adjust} before it starts (a bridge port, ...). */
  public static TestCluster start(int size, Path dataDir, Duration idleTimeout, UnaryOperator<NodeConfig> adjust)
      throws Exception {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ports.add(TestNodes.freePort());
    }
    List<String> seeds = ports.stream().map(p -> "127.0.0.1:" + p).toList();
    TestCluster cluster = new TestCluster();
    try {
      for (int i = 0; i < size; i++) {
        String name = "n" + (i + 1);
        cluster.nodes.add(TestNodes.start(adjust.apply(
            TestNodes.config(name, dataDir.resolve(name), idleTimeout, ports.get(i), seeds))));
      }
      cluster.awaitServers(size);
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  public Node node(int index) {
    return nodes.get(index);
  }

  public List<Node> nodes() {
    return nodes;
  }

  /** Waits until every running node places processes over exactly this many servers. */
  public void awaitServers(int count) throws InterruptedException {
    await("every node sees " + count + " servers", () -> nodes.stream()
        .allMatch(n -> n.membership().placement().members().size() == count));
  }

  public void stop(Node node) {
    TestNodes.stop(node);
    nodes.remove(node);
  }

  public static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    List<Node> running = new ArrayList<>(nodes);
    nodes.clear();
    for (int i = running.size() - 1; i >= 0; i--) {
      TestNodes.stop(running.get(i));
    }
  }
}
