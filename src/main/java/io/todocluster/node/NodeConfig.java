package io.todocluster.node;

import io.todocluster.cluster.ClusterSettings;
import io.todocluster.cluster.ClusterSettings.Discovery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a node is told at start, read once (flags > TODO_* env > --config file > defaults)
 * and passed down. Defaults live in {@code cli.ConfigLoader}, each with its reason; a changed copy
 * is made with {@link #toBuilder()}, which keeps every field not set.
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

  /** A builder that starts from this config: {@code config.toBuilder().bridgePort(7000).build()}. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * A changed copy of a config, field by field: every field not set keeps the original's value,
   * so a copy never drops a setting by accident (as a positional copy did when fields were added).
   */
  public static final class Builder {
    private String name;
    private String httpHost;
    private int httpPort;
    private String clusterHost;
    private int clusterPort;
    private int busPort;
    private List<String> seeds;
    private int bridgePort;
    private Path dataDir;
    private Role role;
    private String secret;
    private Duration idleTimeout;
    private int owners;
    private boolean dashboardCrash;
    private Discovery discovery;
    private String dnsQuery;
    private int rateLimit;
    private boolean fsync;

    private Builder(NodeConfig c) {
      name = c.name;
      httpHost = c.httpHost;
      httpPort = c.httpPort;
      clusterHost = c.clusterHost;
      clusterPort = c.clusterPort;
      busPort = c.busPort;
      seeds = c.seeds;
      bridgePort = c.bridgePort;
      dataDir = c.dataDir;
      role = c.role;
      secret = c.secret;
      idleTimeout = c.idleTimeout;
      owners = c.owners;
      dashboardCrash = c.dashboardCrash;
      discovery = c.discovery;
      dnsQuery = c.dnsQuery;
      rateLimit = c.rateLimit;
      fsync = c.fsync;
    }

    /** The TCP bridge's port (0: off). */
    public Builder bridgePort(int port) {
      bridgePort = port;
      return this;
    }

    /** The cluster secret (null: none). */
    public Builder secret(String value) {
      secret = value;
      return this;
    }

    /** How many copies of each entry the store keeps. */
    public Builder owners(int count) {
      owners = count;
      return this;
    }

    /** Whether the dashboard's crash route is on. */
    public Builder dashboardCrash(boolean on) {
      dashboardCrash = on;
      return this;
    }

    /** How the node finds its peers, and the DNS name for {@link Discovery#DNS} (else null). */
    public Builder discovery(Discovery how, String query) {
      discovery = how;
      dnsQuery = query;
      return this;
    }

    /** Requests a second allowed per client address (0: no limit). */
    public Builder rateLimit(int perSecond) {
      rateLimit = perSecond;
      return this;
    }

    /** Whether each acknowledged write is fsynced first. */
    public Builder fsync(boolean on) {
      fsync = on;
      return this;
    }

    public NodeConfig build() {
      return new NodeConfig(name, httpHost, httpPort, clusterHost, clusterPort, busPort, seeds, bridgePort, dataDir,
          role, secret, idleTimeout, owners, dashboardCrash, discovery, dnsQuery, rateLimit, fsync);
    }
  }

  public boolean hostsProcesses() {
    return role == Role.SERVER;
  }

  /** What the cluster layer is told of this node. */
  public ClusterSettings cluster() {
    return new ClusterSettings(name, clusterHost, clusterPort, seeds, discovery, dnsQuery, secret, dataDir, owners);
  }
}
