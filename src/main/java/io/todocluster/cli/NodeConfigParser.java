package io.todocluster.cli;

import static io.todocluster.node.ConfigKeys.*;

import io.todocluster.cluster.ClusterSettings;
import io.todocluster.node.NodeConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the merged configuration (every value still as the user wrote it) into a typed
 * {@link NodeConfig}, or fails with one {@link InvalidConfigException} for the first bad value.
 * Values are read the same way whichever layer they came from: a YAML {@code 8081} and an
 * env {@code "8081"} are both a port.
 */
final class NodeConfigParser {

  private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  // a host name, an IPv4 address or an IPv6 address (bare or in brackets); never resolved here
  private static final Pattern HOST_PATTERN = Pattern.compile("[A-Za-z0-9._:%\\[\\]-]{1,253}");
  // a DNS name such as todo-cluster-headless.default.svc.cluster.local
  private static final Pattern DNS_NAME_PATTERN = Pattern.compile("[A-Za-z0-9_.-]{1,253}");
  private static final Pattern SEED_PATTERN =
      Pattern.compile("(\\[[0-9A-Fa-f:.%]+\\]|[A-Za-z0-9._-]+):([0-9]{1,5})");
  private static final Pattern DURATION_PATTERN = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");
  private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.[0-9]{1,3}){3}");

  private final JsonObject merged;
  private final UnaryOperator<String> sourceOf;
  private final String hostName;

  /**
   * @param sourceOf names where a key's value came from, for error messages
   * @param hostName this machine's name, the first half of the default node name
   */
  NodeConfigParser(JsonObject merged, UnaryOperator<String> sourceOf, String hostName) {
    this.merged = merged;
    this.sourceOf = sourceOf;
    this.hostName = hostName;
  }

  NodeConfig parse() {
    rejectUnknownKeys();
    String clusterHost = host(CLUSTER_HOST);
    int clusterPort = port(CLUSTER_PORT);
    String secret = secret();
    requireSecretOffLoopback(clusterHost, secret);
    String httpHost = host(HTTP_HOST);
    ClusterSettings.Discovery discovery = discovery();
    return new NodeConfig(
        name(clusterPort),
        httpHost,
        port(HTTP_PORT),
        clusterHost,
        clusterPort,
        port(BUS_PORT),
        seeds(),
        port(BRIDGE_PORT),
        dataDir(),
        role(),
        secret,
        idleTimeout(),
        owners(),
        dashboardCrash(httpHost),
        discovery,
        dnsQuery(discovery),
        rateLimit(),
        fsync());
  }

  // Defaults, env and flags only ever hold known keys, so an unknown one came from the file.
  private void rejectUnknownKeys() {
    for (String key : merged.fieldNames()) {
      if (!NODE_KEYS.contains(key)) {
        throw new InvalidConfigException(sourceOf.apply(key),
            "unknown key, expected one of " + String.join(", ", NODE_KEYS));
      }
    }
  }

  /**
   * The default name is {@code <host name>-<cluster port>}: unique on one machine (two nodes
   * cannot bind one cluster port) and across machines (host names differ, e.g. Kubernetes pod
   * names), and it still tells a person where the node runs.
   */
  private String name(int clusterPort) {
    String given = text(NAME);
    if (given == null || given.isEmpty()) {
      return (hostName + "-" + clusterPort).replaceAll("[^A-Za-z0-9._-]", "-");
    }
    return require(NAME, given, NAME_PATTERN.matcher(given).matches(),
        "expected 1..64 letters, digits, '.', '_' or '-'");
  }

  private String host(String key) {
    String value = text(key);
    return require(key, value, value != null && HOST_PATTERN.matcher(value).matches(),
        "expected a host name or IP address");
  }

  private int port(String key) {
    String value = text(key);
    Integer port = parseInt(value);
    require(key, value, port != null && port >= 0 && port <= 65535, "expected a port 0..65535");
    return port;
  }

  private int owners() {
    String value = text(OWNERS);
    Integer owners = parseInt(value);
    // Infinispan refuses DENY_READ_WRITES with one owner, and one copy cannot survive a node loss
    require(OWNERS, value, owners != null && owners >= 2, "expected a number of copies >= 2");
    return owners;
  }

  /**
   * Default: on only when HTTP is bound to loopback, where only people on this machine reach the
   * crash button; a node serving other machines must be told to offer it.
   */
  private boolean dashboardCrash(String httpHost) {
    String value = text(DASHBOARD_CRASH);
    if (value == null || value.isEmpty()) {
      return isLoopback(httpHost);
    }
    String lower = value.toLowerCase(Locale.ROOT);
    require(DASHBOARD_CRASH, value, lower.equals("true") || lower.equals("false"), "expected true or false");
    return lower.equals("true");
  }

  /** Accepts {@code a:7800,b:7800} from a flag or env var, and also a YAML/JSON list. */
  private List<String> seeds() {
    Object raw = merged.getValue(SEEDS);
    String joined = raw instanceof JsonArray array ? joinArray(array) : text(SEEDS);
    List<String> seeds = new ArrayList<>();
    if (joined == null || joined.isBlank()) {
      return seeds;
    }
    for (String part : joined.split(",", -1)) {
      String seed = part.trim();
      Matcher matcher = SEED_PATTERN.matcher(seed);
      boolean valid = matcher.matches() && Integer.parseInt(matcher.group(2)) >= 1
          && Integer.parseInt(matcher.group(2)) <= 65535;
      seeds.add(require(SEEDS, seed, valid, "expected host:port with a port 1..65535"));
    }
    return List.copyOf(seeds);
  }

  private Path dataDir() {
    String value = text(DATA_DIR);
    require(DATA_DIR, value, value != null && !value.isEmpty(), "expected a directory path");
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new InvalidConfigException(sourceOf.apply(DATA_DIR),
          "expected a directory path, got '" + value + "'");
    }
  }

  private NodeConfig.Role role() {
    String value = text(ROLE);
    String lower = value == null ? "" : value.toLowerCase(Locale.ROOT);
    require(ROLE, value, lower.equals("server") || lower.equals("client"),
        "expected server or client");
    return NodeConfig.Role.valueOf(lower.toUpperCase(Locale.ROOT));
  }

  private ClusterSettings.Discovery discovery() {
    String value = text(DISCOVERY);
    String lower = value == null ? "" : value.toLowerCase(Locale.ROOT);
    require(DISCOVERY, value, lower.equals("tcpping") || lower.equals("dns"),
        "expected tcpping or dns");
    return ClusterSettings.Discovery.valueOf(lower.toUpperCase(Locale.ROOT));
  }

  /** Required with DNS discovery, where it is the only way to find peers; blank is none. */
  private String dnsQuery(ClusterSettings.Discovery discovery) {
    String value = text(DNS_QUERY);
    if (value == null || value.isEmpty()) {
      if (discovery == ClusterSettings.Discovery.DNS) {
        throw new InvalidConfigException(sourceOf.apply(DNS_QUERY),
            "discovery dns needs a DNS name to query (" + flagName(DNS_QUERY) + " or "
                + envName(DNS_QUERY) + ")");
      }
      return null;
    }
    return require(DNS_QUERY, value, DNS_NAME_PATTERN.matcher(value).matches(),
        "expected a DNS name");
  }

  private int rateLimit() {
    String value = text(RATE_LIMIT);
    Integer perSecond = parseInt(value);
    // a million a second is beyond what one node serves: a bigger number is a typo
    require(RATE_LIMIT, value, perSecond != null && perSecond >= 0 && perSecond <= 1_000_000,
        "expected requests per second 0..1000000 (0 = off)");
    return perSecond;
  }

  private boolean fsync() {
    String value = text(FSYNC);
    String lower = value == null ? "" : value.toLowerCase(Locale.ROOT);
    require(FSYNC, value, lower.equals("true") || lower.equals("false"), "expected true or false");
    return lower.equals("true");
  }

  /** Blank counts as absent: compose files and Helm charts often set TODO_SECRET="" for none. */
  private String secret() {
    String value = text(SECRET);
    return value == null || value.isEmpty() ? null : value;
  }

  private Duration idleTimeout() {
    String value = text(IDLE_TIMEOUT);
    Matcher matcher = DURATION_PATTERN.matcher(value == null ? "" : value);
    require(IDLE_TIMEOUT, value, matcher.matches() && Long.parseLong(matcher.group(1)) > 0,
        "expected a positive duration like 500ms, 60s, 5m or 1h");
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  /**
   * Lets a node bind off loopback without a secret, in plain text. For the packet-capture test
   * only, which must show that its check can fail (SECURITY.md); deliberately not a config key, so
   * no flag, env var or config file can set it, and the node logs a warning when it is used.
   */
  static final String PLAINTEXT_FOR_TESTS = "todo.test.plaintext-cluster";

  // Design decision 8: cluster traffic leaves this machine only when authenticated.
  private void requireSecretOffLoopback(String clusterHost, String secret) {
    if (secret == null && !isLoopback(clusterHost) && Boolean.getBoolean(PLAINTEXT_FOR_TESTS)) {
      org.slf4j.LoggerFactory.getLogger(NodeConfigParser.class).warn(
          "-D{}=true: cluster traffic on {} is NOT encrypted and anyone can join; for tests only",
          PLAINTEXT_FOR_TESTS, clusterHost);
      return;
    }
    if (secret == null && !isLoopback(clusterHost)) {
      throw new InvalidConfigException(sourceOf.apply(CLUSTER_HOST),
          "binding '" + clusterHost + "' (not loopback) needs a cluster secret"
              + " (--secret or " + envName(SECRET) + ")");
    }
  }

  private static boolean isLoopback(String host) {
    return host.equalsIgnoreCase("localhost") || IPV4_LOOPBACK.matcher(host).matches()
        || host.equals("::1") || host.equals("[::1]");
  }

  private String text(String key) {
    Object raw = merged.getValue(key);
    return raw == null ? null : raw.toString().trim();
  }

  private static String joinArray(JsonArray array) {
    List<String> parts = new ArrayList<>();
    array.forEach(item -> parts.add(String.valueOf(item)));
    return String.join(",", parts);
  }

  private static Integer parseInt(String value) {
    try {
      return value == null ? null : Integer.valueOf(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private String require(String key, String value, boolean valid, String expectation) {
    if (!valid) {
      String got = value == null ? "nothing" : "'" + value + "'";
      throw new InvalidConfigException(sourceOf.apply(key), expectation + ", got " + got);
    }
    return value;
  }
}
