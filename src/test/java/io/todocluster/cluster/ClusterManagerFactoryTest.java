package io.todocluster.cluster;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.todocluster.node.NodeConfig;
import io.todocluster.store.StoreCaches;
import io.todocluster.store.TodoStore;
import io.todocluster.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.ext.cluster.infinispan.InfinispanClusterManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.infinispan.Cache;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.Configuration;
import org.infinispan.partitionhandling.PartitionHandling;
import io.todocluster.store.log.LogStoreConfiguration;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.stack.IpAddress;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterManagerFactoryTest {

  private static final Duration BOUND = Duration.ofSeconds(30);

  /** Started nodes, closed in reverse order after each test, whatever its outcome. */
  private final List<Node> nodes = new ArrayList<>();

  @TempDir
  Path tmp;

  @AfterEach
  void closeNodes() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
  }

  @Test
  @DisplayName("a lone node starts a clustered Vert.x and binds its JGroups ports to 127.0.0.1 only")
  void loneNodeBindsLoopback() throws Exception {
    int port = freePort();
    Node node = start(config("solo", port, List.of(), tmp.resolve("solo"), 2));

    assertThat(node.clusterManager.isActive()).isTrue();
    assertThat(node.clusterManager.getNodes()).containsExactly(node.clusterManager.getNodeId());
    ProtocolStack stack = channelStack(node.cacheManager());
    IpAddress physical = (IpAddress) stack.getTransport().localPhysicalAddress();
    assertThat(physical.getIpAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(physical.getPort()).isEqualTo(port);
    FD_SOCK2 fd = stack.findProtocol(FD_SOCK2.class);
    assertThat(fd.getBindAddress().getHostAddress()).isEqualTo("127.0.0.1");
    // what the kernel says: both listening sockets are on loopback, not on a wildcard address
    assertThat(listeningAddresses(port)).containsOnly("127.0.0.1");
    assertThat(listeningAddresses(fd.getActualBindPort())).containsOnly("127.0.0.1");
  }

  @Test
  @DisplayName("a single owner is refused: it could not survive the loss of a node")
  void singleOwnerIsRefused() {
    NodeConfig config = config("solo", 7800, List.of(), tmp.resolve("solo"), 1);

    assertThatThrownBy(() -> create(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("owners");
  }

  @Test
  @DisplayName("the store caches take the node's owner count and one file store each")
  void storeCachesAreConfiguredPerNode() throws Exception {
    Node node = start(config("solo", freePort(), List.of(), tmp.resolve("solo"), 3));

    for (String name : TodoStore.CACHES) {
      Configuration cache = node.cacheManager().getCacheConfiguration(name);
      assertThat(cache.clustering().cacheMode()).as(name).isEqualTo(CacheMode.DIST_SYNC);
      assertThat(cache.clustering().hash().numOwners()).as(name).isEqualTo(3);
      assertThat(cache.clustering().partitionHandling().whenSplit()).as(name)
          .isEqualTo(PartitionHandling.DENY_READ_WRITES);
      assertThat(cache.clustering().hash().groups().enabled()).as(name).isTrue();
      assertThat(cache.persistence().stores()).as(name).singleElement()
          .isInstanceOf(LogStoreConfiguration.class)
          .satisfies(store -> assertThat(store.async().enabled()).as("write-behind").isFalse());
    }
    assertThat(node.cacheManager().getCacheConfiguration("todo-idempotency").expiration().lifespan())
        .isEqualTo(Duration.ofHours(24).toMillis());
    assertThat(node.cacheManager().getCacheConfiguration("todo-entries").expiration().lifespan())
        .isEqualTo(-1);
  }

  @Test
  @DisplayName("two nodes in one JVM form one cluster and share the todo-entries cache")
  void twoNodesShareEntries() throws Exception {
    int portA = freePort();
    int portB = freePort();
    Node a = start(config("a", portA, List.of("127.0.0.1:" + portB), tmp.resolve("a"), 2));
    Node b = start(config("b", portB, List.of("127.0.0.1:" + portA), tmp.resolve("b"), 2));

    waitFor(() -> a.clusterManager.getNodes().size() == 2 && b.clusterManager.getNodes().size() == 2);
    assertThat(a.clusterManager.getNodes()).containsExactlyInAnyOrderElementsOf(b.clusterManager.getNodes());

    Cache<String, String> entriesA = a.cacheManager().getCache("todo-entries");
    Cache<String, String> entriesB = b.cacheManager().getCache("todo-entries");
    entriesA.put("work/1", "{\"id\":1,\"title\":\"Dentist\"}");
    assertThat(entriesB.get("work/1")).isEqualTo("{\"id\":1,\"title\":\"Dentist\"}");

    // ListGrouper: the list's keys, and the list itself, fall in one segment, hence one owner set
    var topology = entriesA.getAdvancedCache().getDistributionManager().getCacheTopology();
    assertThat(List.of(topology.getSegment("work/2"), topology.getSegment("work/meta"),
        topology.getSegment("work"))).containsOnly(topology.getSegment("work/1"));
  }

  @Test
  @DisplayName("an acknowledged put survives stopping the whole node and restarting on its data dir")
  void putSurvivesNodeRestart() throws Exception {
    Path dataDir = tmp.resolve("node");
    Node first = start(config("n1", freePort(), List.of(), dataDir, 2));
    first.cacheManager().<String, String>getCache("todo-entries").put("home/1", "Groceries");
    stop(first);

    Node second = start(config("n1", freePort(), List.of(), dataDir, 2));

    assertThat(second.cacheManager().<String, String>getCache("todo-entries").get("home/1"))
        .isEqualTo("Groceries");
    assertThat(dataDir.resolve("infinispan/todo-entries/store.log")).isRegularFile();
  }

  // --- helpers

  /** One node: what {@code cli} will do, minus HTTP. */
  private record Node(InfinispanClusterManager clusterManager, Vertx vertx) {
    EmbeddedCacheManager cacheManager() {
      return ClusterManagerFactory.cacheManager(clusterManager);
    }

    /** The node's shutdown order: Vert.x first (it still uses the caches), then the cache manager. */
    void close() {
      try {
        vertx.close().await(30, SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("Vert.x did not close", e);
      } finally {
        cacheManager().stop();
      }
    }
  }

  private void stop(Node node) {
    nodes.remove(node);
    node.close();
  }

  private Node start(NodeConfig config) throws Exception {
    InfinispanClusterManager clusterManager = create(config);
    Vertx vertx;
    try {
      vertx = Vertx.builder()
          .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
          .withClusterManager(clusterManager)
          .buildClustered()
          .await(30, SECONDS);
    } catch (Exception e) {
      ClusterManagerFactory.cacheManager(clusterManager).stop();
      throw e;
    }
    Node node = new Node(clusterManager, vertx);
    nodes.add(node);
    return node;
  }

  /** As the node does: the cluster's settings from the config, the store's caches given its owners and fsync. */
  private static InfinispanClusterManager create(NodeConfig config) {
    return ClusterManagerFactory.create(config.cluster(), null,
        caches -> StoreCaches.configure(caches, config.owners(), config.fsync()));
  }

  private static NodeConfig config(String name, int clusterPort, List<String> seeds, Path dataDir, int owners) {
    return TestNodes.config(name, dataDir, Duration.ofMinutes(5), clusterPort, seeds).toBuilder().owners(owners).build();
  }

  private static ProtocolStack channelStack(EmbeddedCacheManager cacheManager) {
    return ((JGroupsTransport) cacheManager.getTransport()).getChannel().getProtocolStack();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    }
  }

  /** Local addresses of the sockets listening on {@code port}, from /proc/net/tcp (Linux, IPv4). */
  private static List<String> listeningAddresses(int port) {
    String portHex = String.format(":%04X", port);
    try {
      return Files.readAllLines(Path.of("/proc/net/tcp")).stream()
          .skip(1)
          .map(line -> line.trim().split("\\s+"))
          .filter(f -> f[1].endsWith(portHex) && f[3].equals("0A")) // 0A = LISTEN
          .map(f -> ipv4(f[1].substring(0, 8)))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String ipv4(String littleEndianHex) {
    long a = Long.parseLong(littleEndianHex, 16);
    return (a & 0xff) + "." + (a >> 8 & 0xff) + "." + (a >> 16 & 0xff) + "." + (a >> 24 & 0xff);
  }

  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition still false after %s", BOUND).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
