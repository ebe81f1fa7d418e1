package io.todocluster.security;

import io.todocluster.cluster.ClusterManagerFactory;
import io.todocluster.store.TodoStore;
import io.todocluster.node.Node;
import io.todocluster.node.NodeConfig;
import io.vertx.core.internal.VertxInternal;
import io.vertx.ext.cluster.infinispan.InfinispanClusterManager;
import org.infinispan.manager.EmbeddedCacheManager;

/** Test helpers for nodes with and without a cluster secret. */
final class SecureNodes {

  private SecureNodes() {
  }

  static InfinispanClusterManager clusterManager(Node node) {
    return (InfinispanClusterManager) ((VertxInternal) node.vertx()).clusterManager();
  }

  static EmbeddedCacheManager cacheManager(Node node) {
    return ClusterManagerFactory.cacheManager(clusterManager(node));
  }

  /** The addresses the kernel says listen on TCP {@code port} (IPv4). */
  static java.util.List<String> listeningAddresses(int port) {
    String portHex = String.format(":%04X", port);
    try {
      return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/tcp")).stream()
          .skip(1)
          .map(line -> line.trim().split("\\s+"))
          .filter(f -> f[1].endsWith(portHex) && f[3].equals("0A")) // 0A = LISTEN
          .map(f -> {
            long a = Long.parseLong(f[1].substring(0, 8), 16);
            return (a & 0xff) + "." + (a >> 8 & 0xff) + "." + (a >> 16 & 0xff) + "." + (a >> 24 & 0xff);
          })
          .toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Entries in this node's copy of the store (blocking: test thread only). */
  static int storedEntries(Node node) {
    return cacheManager(node).getCache(TodoStore.CACHES.get(0)).size();
  }
}
