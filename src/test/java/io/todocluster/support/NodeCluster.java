package io.todocluster.support;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real node JVMs from the fat jar, joined over loopback; closes (kills) what is left at the end. */
public final class NodeCluster implements AutoCloseable {

  private static final Duration START = Duration.ofSeconds(90);

  private final Path dir;
  private final List<String> seeds = new ArrayList<>();
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final List<Integer> httpPorts = new ArrayList<>();
  private final List<NodeProcess> nodes = new ArrayList<>();

  private NodeCluster(Path dir, int size) {
    this.dir = dir;
    for (int i = 0; i < size; i++) {
      clusterPorts.add(TestNodes.freePort());
      httpPorts.add(TestNodes.freePort());
      seeds.add("127.0.0.1:" + clusterPorts.get(i));
    }
  }

  /** Starts the first node, then the others together, and waits until every node sees them all. */
  public static NodeCluster start(Path dir, int size) throws Exception {
    NodeCluster cluster = new NodeCluster(dir, size);
    try {
      cluster.nodes.add(cluster.launch(0).awaitReady(START));
      for (int i = 1; i < size; i++) {
        cluster.nodes.add(cluster.launch(i));
      }
      for (NodeProcess node : cluster.nodes) {
        node.awaitReady(START);
      }
      cluster.awaitMembers(size);
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private NodeProcess launch(int index) throws Exception {
    String name = "n" + (index + 1);
    return NodeProcess.start(name, dir.resolve(name), httpPorts.get(index), clusterPorts.get(index), seeds);
  }

  /** Starts node {@code index} again (after it was killed or stopped), on the same ports and data. */
  public NodeProcess restart(int index) throws Exception {
    return launchAgain(index).awaitReady(START);
  }

  /** As {@link #restart}, without waiting until it serves (a node may wait for others first). */
  public NodeProcess launchAgain(int index) throws Exception {
    NodeProcess node = launch(index);
    nodes.set(index, node);
    return node;
  }

  /** Waits until every node is ready (serves). */
  public void awaitReady() throws Exception {
    for (NodeProcess node : nodes) {
      node.awaitReady(START);
    }
  }

  public NodeProcess node(int index) {
    return nodes.get(index);
  }

  public List<NodeProcess> nodes() {
    return nodes;
  }

  public NodeProcess byName(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }

  /** Waits until every live, unpaused node counts this many members in /api/cluster. */
  public void awaitMembers(int count) throws Exception {
    try {
      await("every node sees " + count + " members", () -> {
        for (NodeProcess node : nodes) {
          if (node.isAlive() && members(node) != count) {
            return false;
          }
        }
        return true;
      }, Duration.ofSeconds(60));
    } catch (AssertionError e) {
      StringBuilder diagnosis = new StringBuilder(e.getMessage());
      for (NodeProcess node : nodes) {
        diagnosis.append("\n--- ").append(node.name()).append(" sees ").append(members(node)).append(" members; log tail:\n");
        List<String> lines = node.log().lines().toList();
        lines.subList(Math.max(0, lines.size() - 25), lines.size()).forEach(l -> diagnosis.append(l).append('\n'));
      }
      throw new AssertionError(diagnosis.toString());
    }
  }

  public static int members(NodeProcess node) {
    try {
      var response = node.get("/api/cluster");
      return response.statusCode() == 200 ? new JsonObject(response.body()).getJsonArray("members").size() : -1;
    } catch (Exception e) {
      return -1;
    }
  }

  public interface Condition {
    boolean holds() throws Exception;
  }

  public static void await(String what, Condition condition, Duration bound) throws Exception {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + bound + " waiting until " + what);
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  @Override
  public void close() throws Exception {
    for (NodeProcess node : nodes) {
      node.close();
    }
    keepLogs();
  }

  /**
   * The nodes' logs outlive the test's temp dir (target/node-logs/), so that a failed run can be
   * read: the data dirs, logs included, are deleted with the temp dir.
   */
  private void keepLogs() throws java.io.IOException {
    Path into = Path.of("target", "node-logs", dir.getFileName() + "-" + System.nanoTime());
    java.nio.file.Files.createDirectories(into);
    try (var logs = java.nio.file.Files.find(dir, 3, (path, attributes) -> path.toString().endsWith(".log")
        && attributes.isRegularFile() && !path.toString().contains("infinispan"))) {
      for (Path log : (Iterable<Path>) logs::iterator) {
        java.nio.file.Files.copy(log, into.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
