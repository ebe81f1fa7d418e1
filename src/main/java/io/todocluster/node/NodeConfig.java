package io.todocluster.node;

import io.todocluster.cluster.ClusterSettings;
import io.todocluster.cluster.ClusterSettings.Discovery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a node is told at start, read once (flags > TODO_* env > --config file > defaults)
 * and passed down. Defaults live in {@code cli.ConfigLoader}, each with its reason.
 */
public record NodeConfig(
    String name,
    String httpHost,
    int httpPort,
    String clusterHost,
    int clusterPort,
    int busPort,
    List<String> seeds,
    int bridgePort,
    Path dataDir,
    Role role,
    String secret,
    Duration idleTimeout,
    int owners,
    boolean dashboardCrash,
    Discovery discovery,
    String dnsQuery,
    int rateLimit,
    boolean fsync) {

  public enum Role { SERVER, CLIENT }

  /** A node that finds its peers through its seeds (the default), with the dashboard's crash route off. */
  public NodeConfig(String name, String httpHost, int httpPort, String clusterHost, int clusterPort,
      int busPort, List<String> seeds, int bridgePort, Path dataDir, Role role, String secret,
      Duration idleTimeout, int owners) {
    this(name, httpHost, httpPort, clusterHost, clusterPort, busPort, seeds, bridgePort, dataDir,
        role, secret, idleTimeout, owners, false, Discovery.TCPPING, null);
  }

  /** A node with the rate limit off (0), as before the option existed. */
  public NodeConfig(String name, String httpHost, int httpPort, String clusterHost, int clusterPort,
      int busPort, List<String> seeds, int bridgePort, Path dataDir, Role role, String secret,
      Duration idleTimeout, int owners, boolean dashboardCrash, Discovery discovery, String dnsQuery) {
    this(name, httpHost, httpPort, clusterHost, clusterPort, busPort, seeds, bridgePort, dataDir,
        role, secret, idleTimeout, owners, dashboardCrash, discovery, dnsQuery, 0);
  }

  /** A node as before the fsync option existed: acknowledged writes are not fsynced. */
  public NodeConfig(String name, String httpHost, int httpPort, String clusterHost, int clusterPort,
      int busPort, List<String> seeds, int bridgePort, Path dataDir, Role role, String secret,
      Duration idleTimeout, int owners, boolean dashboardCrash, Discovery discovery, String dnsQuery, int rateLimit) {
    this(name, httpHost, httpPort, clusterHost, clusterPort, busPort, seeds, bridgePort, dataDir,
        role, secret, idleTimeout, owners, dashboardCrash, discovery, dnsQuery, rateLimit, false);
  }

  public boolean hostsProcesses() {
    return role == Role.SERVER;
  }

  /** What the cluster layer is told of this node. */
  public ClusterSettings cluster() {
    return new ClusterSettings(name, clusterHost, clusterPort, seeds, discovery, dnsQuery, secret, dataDir, owners);
  }
}
