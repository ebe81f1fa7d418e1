package io.todocluster.node;

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
    boolean dashboardCrash) {

  /** For callers that predate the dashboard's crash option: the crash route stays off. */
  public NodeConfig(String name, String httpHost, int httpPort, String clusterHost, int clusterPort, int busPort,
      List<String> seeds, int bridgePort, Path dataDir, Role role, String secret, Duration idleTimeout, int owners) {
    this(name, httpHost, httpPort, clusterHost, clusterPort, busPort, seeds, bridgePort, dataDir, role, secret,
        idleTimeout, owners, false);
  }

  public enum Role { SERVER, CLIENT }

  public boolean hostsProcesses() {
    return role == Role.SERVER;
  }
}
