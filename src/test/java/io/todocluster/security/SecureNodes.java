package io.todocluster.security;

import io.todocluster.cluster.ClusterManagerFactory;
import io.todocluster.node.Node;
import io.todocluster.node.NodeConfig;
import io.vertx.core.internal.VertxInternal;
import io.vertx.ext.cluster.infinispan.InfinispanClusterManager;
import org.infinispan.manager.EmbeddedCacheManager;

/** Test helpers for nodes with and without a cluster secret. */
final class SecureNodes {

  private SecureNodes() {
  }

  /** The same node with {@code secret} (null: none). */
  static NodeConfig withSecret(NodeConfig c, String secret) {
    return new NodeConfig(c.name(), c.httpHost(), c.httpPort(), c.clusterHost(), c.clusterPort(), c.busPort(),
        c.seeds(), c.bridgePort(), c.dataDir(), c.role(), secret, c.idleTimeout(), c.owners(), c.dashboardCrash(),
        c.discovery(), c.dnsQuery());
  }

  static InfinispanClusterManager clusterManager(Node node) {
    return (InfinispanClusterManager) ((VertxInternal) node.vertx()).clusterManager();
  }

  static EmbeddedCacheManager cacheManager(Node node) {
    return ClusterManagerFactory.cacheManager(clusterManager(node));
  }

  /** Entries in this node's copy of the store (blocking: test thread only). */
  static int storedEntries(Node node) {
    return cacheManager(node).getCache(ClusterManagerFactory.STORE_CACHES.get(0)).size();
  }
}
