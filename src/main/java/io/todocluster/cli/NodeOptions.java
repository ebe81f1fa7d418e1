package io.todocluster.cli;

import static io.todocluster.cli.ConfigLoader.*;

import io.todocluster.node.ConfigKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The node's options, shared by the top-level command and {@code node}. Every value stays a
 * string with no picocli default: an option left out must stay null so that the env var, the
 * file or the default can fill it, and ConfigLoader validates all layers the same way.
 */
final class NodeOptions {

  @Spec
  private CommandSpec spec;

  @Option(names = "--" + ConfigKeys.NAME, paramLabel = "<name>",
      description = "Node name, unique in the cluster (default: <host name>-<cluster port>).")
  String name;

  @Option(names = "--" + ConfigKeys.HTTP_HOST, paramLabel = "<host>",
      description = "HTTP bind address (default: " + DEFAULT_HTTP_HOST + ").")
  String httpHost;

  @Option(names = "--" + ConfigKeys.HTTP_PORT, paramLabel = "<port>",
      description = "HTTP port (default: " + DEFAULT_HTTP_PORT + ").")
  String httpPort;

  @Option(names = "--" + ConfigKeys.CLUSTER_HOST, paramLabel = "<host>",
      description = "Cluster and event bus bind address; anything but loopback needs --secret"
          + " (default: " + DEFAULT_CLUSTER_HOST + ").")
  String clusterHost;

  @Option(names = "--" + ConfigKeys.CLUSTER_PORT, paramLabel = "<port>",
      description = "Cluster (JGroups) port (default: " + DEFAULT_CLUSTER_PORT + ").")
  String clusterPort;

  @Option(names = "--" + ConfigKeys.BUS_PORT, paramLabel = "<port>",
      description = "Event bus port, 0 = any free port (default: " + DEFAULT_BUS_PORT + ").")
  String busPort;

  @Option(names = "--" + ConfigKeys.SEEDS, paramLabel = "<host:port,...>",
      description = "Cluster ports of nodes to join (default: none, a cluster of its own).")
  String seeds;

  @Option(names = "--" + ConfigKeys.BRIDGE_PORT, paramLabel = "<port>",
      description = "TCP event bus bridge port, 0 = off (default: " + DEFAULT_BRIDGE_PORT + ").")
  String bridgePort;

  @Option(names = "--" + ConfigKeys.DATA_DIR, paramLabel = "<dir>",
      description = "Directory of the node's data (default: " + DEFAULT_DATA_DIR + ").")
  String dataDir;

  @Option(names = "--" + ConfigKeys.ROLE, paramLabel = "server|client",
      description = "server hosts processes and data; client only joins and sends"
          + " (default: " + DEFAULT_ROLE + ").")
  String role;

  // a flag shows in `ps` to every user of the machine; the env var does not
  @Option(names = "--" + ConfigKeys.SECRET, paramLabel = "<secret>",
      description = "Cluster secret; prefer TODO_SECRET, which `ps` does not show"
          + " (default: none).")
  String secret;

  @Option(names = "--" + ConfigKeys.IDLE_TIMEOUT, paramLabel = "<duration>",
      description = "A list process stops after this idle time, e.g. 500ms, 60s, 5m"
          + " (default: " + DEFAULT_IDLE_TIMEOUT + ").")
  String idleTimeout;

  @Option(names = "--" + ConfigKeys.OWNERS, paramLabel = "<n>",
      description = "Copies of each stored entry (default: " + DEFAULT_OWNERS + ").")
  String owners;

  @Option(names = "--" + ConfigKeys.DASHBOARD_CRASH, paramLabel = "true|false",
      description = "Whether the dashboard may crash a list process (default: true only when"
          + " --http-host is loopback).")
  String dashboardCrash;

  @Option(names = "--" + ConfigKeys.DISCOVERY, paramLabel = "tcpping|dns",
      description = "How a node finds its peers: tcpping tries the --seeds; dns asks the"
          + " name service for the A records of --dns-query, e.g. a Kubernetes headless service"
          + " (default: " + DEFAULT_DISCOVERY + ").")
  String discovery;

  @Option(names = "--" + ConfigKeys.DNS_QUERY, paramLabel = "<name>",
      description = "With --discovery dns: the DNS name whose A records are the peers, e.g."
          + " todo-cluster-headless.default.svc.cluster.local (default: none).")
  String dnsQuery;

  @Option(names = "--" + ConfigKeys.RATE_LIMIT, paramLabel = "<requests per second>",
      description = "HTTP requests per second each client address may make (bursts of one second's"
          + " worth); more are answered 429 with Retry-After; /health and /ready are exempt;"
          + " 0 = off (default: " + DEFAULT_RATE_LIMIT + ").")
  String rateLimit;

  @Option(names = "--" + ConfigKeys.FSYNC, paramLabel = "<true|false>",
      description = "Whether every owner fsyncs a write before it is acknowledged, so that it survives a"
          + " power loss of all of them; false: it survives a crash of their processes only"
          + " (default: " + ConfigLoader.DEFAULT_FSYNC + ").")
  String fsync;

  @Option(names = "--" + ConfigKeys.CONFIG, paramLabel = "<file>",
      description = "YAML (.yaml, .yml) or JSON (.json) file with the options above as keys,"
          + " e.g. http-port: 8081.")
  String config;

  /** The options the user actually gave, keyed like the config file ({@code http-port}). */
  Map<String, String> given() {
    Map<String, String> given = new LinkedHashMap<>();
    for (OptionSpec option : spec.options()) {
      Object value = option.getValue();
      if (value != null) {
        given.put(option.longestName().substring(2), value.toString());
      }
    }
    return given;
  }
}
