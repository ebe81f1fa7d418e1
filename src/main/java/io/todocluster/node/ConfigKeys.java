package io.todocluster.node;

import java.util.List;
import java.util.Locale;

/**
 * The node's configuration keys, in one place. A key is spelled the same in a config file
 * ({@code http-port: 8081}), as a flag ({@code --http-port}) and, upper snake case behind
 * {@code TODO_}, in the environment ({@code TODO_HTTP_PORT}).
 */
public final class ConfigKeys {

  public static final String NAME = "name";
  public static final String HTTP_HOST = "http-host";
  public static final String HTTP_PORT = "http-port";
  public static final String CLUSTER_HOST = "cluster-host";
  public static final String CLUSTER_PORT = "cluster-port";
  public static final String BUS_PORT = "bus-port";
  public static final String SEEDS = "seeds";
  public static final String BRIDGE_PORT = "bridge-port";
  public static final String DATA_DIR = "data-dir";
  public static final String ROLE = "role";
  public static final String SECRET = "secret";
  public static final String IDLE_TIMEOUT = "idle-timeout";
  public static final String OWNERS = "owners";
  public static final String DASHBOARD_CRASH = "dashboard-crash";
  public static final String DISCOVERY = "discovery";
  public static final String DNS_QUERY = "dns-query";
  public static final String RATE_LIMIT = "rate-limit";
  public static final String FSYNC = "fsync";

  /** Names the config file; a flag or env var only, since a file cannot name itself. */
  public static final String CONFIG = "config";

  /** Every key a config file may hold; anything else in a file is a typo worth reporting. */
  public static final List<String> NODE_KEYS = List.of(
      NAME, HTTP_HOST, HTTP_PORT, CLUSTER_HOST, CLUSTER_PORT, BUS_PORT, SEEDS, BRIDGE_PORT,
      DATA_DIR, ROLE, SECRET, IDLE_TIMEOUT, OWNERS, DASHBOARD_CRASH, DISCOVERY, DNS_QUERY,
      RATE_LIMIT, FSYNC);

  static final String ENV_PREFIX = "TODO_";

  private ConfigKeys() {
  }

  /** {@code http-port} -> {@code TODO_HTTP_PORT}. */
  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** {@code http-port} -> {@code --http-port}. */
  public static String flagName(String key) {
    return "--" + key;
  }
}
