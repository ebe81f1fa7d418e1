package io.todocluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.support.TestCluster;
import io.vertx.core.Promise;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.NodeInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.infinispan.manager.EmbeddedCacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A node that announces itself again after a merge")
class ReannounceTest {

  @TempDir
  Path dataDir;
  TestCluster cluster;

  @BeforeEach
  void startNode() throws Exception {
    cluster = TestCluster.start(1, dataDir, Duration.ofMinutes(10));
  }

  @AfterEach
  void stopNode() {
    cluster.close();
  }

  @Test
  @DisplayName("writes its node info back without waiting for the cluster manager's lock, which vertx-infinispan's view listener can hold for minutes")
  void reannouncesWhileTheViewListenerHoldsTheLock() throws Exception {
    VertxInternal vertx = (VertxInternal) cluster.node(0).vertx();
    RejoiningClusterManager manager = (RejoiningClusterManager) vertx.clusterManager();
    String self = manager.getNodeId();
    NodeInfo announcedAtStart = manager.getNodeInfo();
    assertThat(nodeInfo(manager, self)).isEqualTo(announcedAtStart);
    // what the other members do when they declare this node dead: its node info is purged
    ((EmbeddedCacheManager) manager.getCacheContainer()).getCache(RejoiningClusterManager.NODE_INFO_CACHE).remove(self);
    assertThat(nodeInfo(manager, self)).as("purged").isNull();

    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread viewListener = new Thread(() -> {
      synchronized (manager) { // as InfinispanClusterManager's view listener, through its blocking cleanup
        held.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }, "view-listener-stand-in");
    viewListener.start();
    try {
      assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> announced = CompletableFuture.supplyAsync(manager::reannounce)
          .thenCompose(f -> f.toCompletionStage());
      announced.get(10, TimeUnit.SECONDS);
      assertThat(nodeInfo(manager, self)).as("announced again while the lock is held").isEqualTo(announcedAtStart);
    } finally {
      release.countDown();
      viewListener.join(TimeUnit.SECONDS.toMillis(10));
    }
  }

  /** The node info the cluster holds for the node, or null when it holds none. */
  private static NodeInfo nodeInfo(RejoiningClusterManager manager, String nodeId) throws Exception {
    Promise<NodeInfo> found = Promise.promise();
    manager.getNodeInfo(nodeId, found);
    return found.future().otherwiseEmpty().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
