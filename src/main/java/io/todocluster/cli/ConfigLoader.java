package io.todocluster.cli;

import static io.todocluster.node.ConfigKeys.*;

import io.todocluster.node.NodeConfig;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the node's configuration once, in the contract's order of precedence:
 * flag > {@code TODO_*} environment variable > {@code --config} file > default.
 *
 * <p>Each layer is a vertx-config store; later stores win. The environment is a plain map so
 * that tests need no real environment ({@link #fromSystem()} gives the real one).
 */
public final class ConfigLoader {

  // Defaults: each says where it comes from.
  /** Contract: HTTP on all interfaces, so clients on other machines can reach any node. */
  public static final String DEFAULT_HTTP_HOST = "0.0.0.0";
  /** Contract: HTTP 8080. */
  public static final int DEFAULT_HTTP_PORT = 8080;
  /** Design decision 8: cluster traffic stays on this machine unless told otherwise. */
  public static final String DEFAULT_CLUSTER_HOST = "127.0.0.1";
  /** Contract: 7800, JGroups' customary TCP port (its shipped stacks use it). */
  public static final int DEFAULT_CLUSTER_PORT = 7800;
  /** Contract: any free port; peers learn the event bus address through the cluster. */
  public static final int DEFAULT_BUS_PORT = 0;
  /** No seeds: a lone node forms a cluster of its own. */
  public static final String DEFAULT_SEEDS = "";
  /** Contract: TCP event bus bridge on 7000, the port of Vert.x's own bridge examples. */
  public static final int DEFAULT_BRIDGE_PORT = 7000;
  /** Contract: data in ./data, beside where the node was started. */
  public static final String DEFAULT_DATA_DIR = "./data";
  /** A node hosts processes and data unless it is told it is only a client (a hidden node). */
  public static final String DEFAULT_ROLE = "server";
  /** Long enough that a user's burst of requests finds its list warm; short enough to free memory. */
  public static final String DEFAULT_IDLE_TIMEOUT = "60s";
  /** Two copies: an acknowledged write survives the loss of any one node (design, data flow). */
  public static final int DEFAULT_OWNERS = 2;
  /** Static seeds (--seeds) work anywhere, with no name service; DNS is for Kubernetes. */
  public static final String DEFAULT_DISCOVERY = "tcpping";
  /** No query: only DNS discovery needs one, and it has no sensible default name. */
  public static final String DEFAULT_DNS_QUERY = "";
  /**
   * Off: behind a load balancer or a Kubernetes Service every request comes from a few proxy
   * addresses, and a per-address limit would throttle all clients at once; an operator whose
   * clients reach the node directly turns it on.
   */
  public static final int DEFAULT_RATE_LIMIT = 0;
  /**
   * Off, as Infinispan's own stores and the book's system: an acknowledged write is in the OS of
   * every owner (2 by default), so it survives kill -9 of every node at once (the power-loss
   * scenario of the fault harness kills every JVM), not a power cut of all its owners' machines.
   * etcd and ZooKeeper sync by default; here fsync halves the store's throughput or worse
   * (BENCHMARKS.md), and the cluster's write path is what issue 14 must make faster. An operator
   * whose owners share one power supply turns it on.
   */
  public static final boolean DEFAULT_FSYNC = false;

  /** Reading a local file should take milliseconds; a bound keeps a stuck disk from hanging start. */
  private static final long LOAD_TIMEOUT_SECONDS = 10;

  private final Map<String, String> env;

  /** @param env the process environment, or a test's stand-in for it */
  public ConfigLoader(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public static ConfigLoader fromSystem() {
    return new ConfigLoader(System.getenv());
  }

  /**
   * @param givenFlags only the flags the user actually gave, keyed without dashes
   *     ({@code "http-port" -> "8081"}); {@code "config"} names the config file
   * @return the validated configuration
   * @throws InvalidConfigException on the first bad value, naming where it came from
   */
  public NodeConfig load(Map<String, String> givenFlags) {
    JsonObject flags = new JsonObject();
    givenFlags.forEach((key, value) -> {
      if (!key.equals(CONFIG)) {
        flags.put(key, value);
      }
    });
    JsonObject envLayer = envLayer();
    Path file = configFile(givenFlags);
    JsonObject merged = retrieve(flags, envLayer, file);
    return new NodeConfigParser(merged, key -> sourceOf(key, flags, envLayer, file), hostName())
        .parse();
  }

  private JsonObject envLayer() {
    JsonObject layer = new JsonObject();
    for (String key : NODE_KEYS) {
      String value = env.get(envName(key));
      if (value != null) {
        layer.put(key, value);
      }
    }
    return layer;
  }

  private Path configFile(Map<String, String> givenFlags) {
    boolean fromFlag = givenFlags.containsKey(CONFIG);
    String value = fromFlag ? givenFlags.get(CONFIG) : env.get(envName(CONFIG));
    if (value == null) {
      return null;
    }
    String source = fromFlag ? flagName(CONFIG) : envName(CONFIG);
    Path file = Path.of(value);
    // checked here: vert.x would otherwise fall back to a classpath resource of that name
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new InvalidConfigException(source, "no readable file '" + value + "'");
    }
    if (format(file) == null) {
      throw new InvalidConfigException(source,
          "expected a .yaml, .yml or .json file, got '" + value + "'");
    }
    return file;
  }

  private static String format(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      return "yaml";
    }
    return name.endsWith(".json") ? "json" : null;
  }

  private static JsonObject defaults() {
    return new JsonObject()
        .put(HTTP_HOST, DEFAULT_HTTP_HOST)
        .put(HTTP_PORT, DEFAULT_HTTP_PORT)
        .put(CLUSTER_HOST, DEFAULT_CLUSTER_HOST)
        .put(CLUSTER_PORT, DEFAULT_CLUSTER_PORT)
        .put(BUS_PORT, DEFAULT_BUS_PORT)
        .put(SEEDS, DEFAULT_SEEDS)
        .put(BRIDGE_PORT, DEFAULT_BRIDGE_PORT)
        .put(DATA_DIR, DEFAULT_DATA_DIR)
        .put(ROLE, DEFAULT_ROLE)
        .put(IDLE_TIMEOUT, DEFAULT_IDLE_TIMEOUT)
        .put(OWNERS, DEFAULT_OWNERS)
        .put(DISCOVERY, DEFAULT_DISCOVERY)
        .put(DNS_QUERY, DEFAULT_DNS_QUERY)
        .put(RATE_LIMIT, DEFAULT_RATE_LIMIT)
        .put(FSYNC, DEFAULT_FSYNC);
  }

  /**
   * Merges the layers through vertx-config. Its retriever needs a Vertx; a short-lived plain
   * one is enough, since the node creates its own clustered Vertx later.
   */
  private JsonObject retrieve(JsonObject flags, JsonObject envLayer, Path file) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions()
        .setIncludeDefaultStores(false) // they would read every system property and env var
        .setScanPeriod(0) // read once: a running node does not change its configuration
        .addStore(jsonStore(defaults()));
    if (file != null) {
      options.addStore(new ConfigStoreOptions().setType("file").setFormat(format(file))
          .setConfig(new JsonObject().put("path", file.toAbsolutePath().toString())));
    }
    options.addStore(jsonStore(envLayer)).addStore(jsonStore(flags));

    Vertx vertx = Vertx.vertx();
    try {
      ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
      return retriever.getConfig().await(LOAD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new InvalidConfigException(String.valueOf(file), "not read within "
          + LOAD_TIMEOUT_SECONDS + " s");
    } catch (RuntimeException e) {
      if (file == null) {
        throw e; // in-memory stores cannot fail: this is a bug, not a user's mistake
      }
      // the file store is the only one that can fail: its content did not parse
      throw new InvalidConfigException(String.valueOf(file), "cannot parse as "
          + format(file) + ": " + firstLine(rootCause(e).getMessage()));
    } finally {
      closeQuietly(vertx);
    }
  }

  /** Waits for the close, so that its threads are gone before the node starts its own Vertx. */
  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().await(LOAD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      // nothing was deployed on it; a slow close only leaves idle threads behind
    }
  }

  private static ConfigStoreOptions jsonStore(JsonObject content) {
    return new ConfigStoreOptions().setType("json").setConfig(content);
  }

  private String sourceOf(String key, JsonObject flags, JsonObject envLayer, Path file) {
    if (flags.containsKey(key)) {
      return flagName(key);
    }
    if (envLayer.containsKey(key)) {
      return envName(key);
    }
    return file != null ? key + " in " + file : flagName(key);
  }

  /** HOSTNAME is set in containers and cheap to read; the lookup is the fallback. */
  private String hostName() {
    String fromEnv = env.get("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "node";
    }
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    String line = message.strip().lines().findFirst().orElse("unknown error");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
