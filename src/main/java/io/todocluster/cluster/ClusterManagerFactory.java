package io.todocluster.cluster;

import io.todocluster.security.ClusterSecret;
import io.vertx.ext.cluster.infinispan.InfinispanClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.configuration.parsing.ConfigurationBuilderHolder;
import org.infinispan.configuration.parsing.ParserRegistry;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.remoting.transport.jgroups.EmbeddedJGroupsChannelConfigurator;
import org.jgroups.conf.ProtocolConfiguration;
import org.jgroups.conf.XmlConfigurator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds this node's Infinispan cluster manager from {@code todo-infinispan.xml} and
 * {@code todo-jgroups.xml} on our classpath, with the node's own settings applied to the parsed
 * builders rather than through system properties: tests run several nodes in one JVM.
 *
 * <p>{@link #create} blocks (it joins the JGroups cluster, which alone takes {@code join_timeout}
 * for a first node, and starts the caches): call it off the event loop. The cache manager is
 * started here, not by Vert.x: with a cache manager handed in, {@code InfinispanClusterManager}
 * neither starts nor stops it. So the node owns it and shuts down in this order:
 * {@code vertx.close()} (undeploys, unregisters from the event bus, leaves the cluster manager),
 * then {@code cacheManager(clusterManager).stop()} (leaves the JGroups cluster, closes the stores;
 * blocking, so not on an event loop). Stopping the cache manager first would pull the caches from
 * under Vert.x's own shutdown. If {@code buildClustered} fails, the caller still stops it.
 */
public final class ClusterManagerFactory {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterManagerFactory.class);

  static final String INFINISPAN_XML = "todo-infinispan.xml";
  static final String JGROUPS_XML = "todo-jgroups.xml";
  /** The stack name the XML's transport refers to; only this class defines it. */
  static final String STACK = "todo";
  /** JGroups' Kubernetes-friendly discovery (JGroups 5.2 ships it in org.jgroups.protocols.dns). */
  static final String DNS_PING = "org.jgroups.protocols.dns.DNS_PING";
  private ClusterManagerFactory() {}

  /**
   * Builds and starts the cache manager (blocking) and wraps it for {@code buildClustered}.
   * {@code caches} adjusts the application's cache configurations as parsed from the XML before the
   * manager starts (their owner count, their stores' settings); the cluster layer does not know them.
   */
  public static RejoiningClusterManager create(ClusterSettings settings, ClusterSecret secret,
      Consumer<ConfigurationBuilderHolder> caches) {
    // one owner cannot survive the loss of a node, and Infinispan 14 refuses DENY_READ_WRITES
    // with one owner (ISPN000575); more owners than members is fine (a lone node keeps all)
    if (settings.owners() < 2) {
      throw new IllegalArgumentException("owners must be at least 2, was " + settings.owners());
    }
    ClassLoader loader = ClusterManagerFactory.class.getClassLoader();
    ConfigurationBuilderHolder holder = infinispanConfig(loader);
    GlobalConfigurationBuilder global = holder.getGlobalConfigurationBuilder();
    // the fat jar's launcher may leave the context class loader null (as vertx-infinispan notes)
    global.classLoader(loader);
    global.transport()
        .nodeName(incarnationName(settings.name()))
        .stack(STACK)
        .jgroups().addStack(STACK).channelConfigurator(jgroupsStack(loader, settings, secret));
    // each persisted cache's store goes to <this>/<cache name>; global state also keeps the
    // member's persistent identity here
    global.globalState().enable().persistentLocation(settings.storeRoot().toAbsolutePath().toString());
    caches.accept(holder);
    LOG.info("Starting cluster node {} on {}:{}, seeds {}, data {}, owners {}, {}", settings.name(),
        settings.host(), settings.port(), settings.seeds(), settings.dataDir(), settings.owners(),
        secret == null ? "no cluster secret (plain text, loopback only)" : "traffic encrypted with the cluster secret");
    if (settings.discovery() == ClusterSettings.Discovery.DNS) {
      LOG.info("Cluster node {} finds its peers through DNS: {}", settings.name(), settings.dnsQuery());
    }
    DefaultCacheManager cacheManager = new DefaultCacheManager(holder, true);
    LOG.info("Cluster node {} joined, members {}", settings.name(), cacheManager.getMembers());
    return new RejoiningClusterManager(cacheManager);
  }

  /**
   * The member name of this run of the node: its configured name plus a random suffix. The member
   * name is also the Vert.x node id, by which the cluster cleans up a departed member's event bus
   * subscriptions; a node restarted under the same id before its dead self left the view would
   * have its fresh subscriptions removed with the old ones. The plain name is shown to users.
   */
  static String incarnationName(String name) {
    return name + "-" + Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
  }

  /** The node name of a member name made by {@link #incarnationName}: what users and the data dir call it. */
  public static String nodeName(String incarnation) {
    int dash = incarnation.lastIndexOf('-');
    return dash > 0 ? incarnation.substring(0, dash) : incarnation;
  }

  /** The cache manager the cluster manager wraps: the store's caches, and the node's to stop. */
  public static EmbeddedCacheManager cacheManager(InfinispanClusterManager clusterManager) {
    return (EmbeddedCacheManager) clusterManager.getCacheContainer();
  }

  private static ConfigurationBuilderHolder infinispanConfig(ClassLoader loader) {
    try {
      return new ParserRegistry(loader).parse(resource(loader, INFINISPAN_XML));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + INFINISPAN_XML, e);
    }
  }

  private static EmbeddedJGroupsChannelConfigurator jgroupsStack(ClassLoader loader, ClusterSettings config,
      ClusterSecret secret) {
    if (secret != null) {
      return ClusterEncryption.configurator(STACK, protocolStack(loader, config), secret.jgroupsKey());
    }
    return new EmbeddedJGroupsChannelConfigurator(STACK, protocolStack(loader, config), null);
  }

  /** The node's JGroups protocols, bottom up: todo-jgroups.xml with this node's values applied. */
  static List<ProtocolConfiguration> protocolStack(ClassLoader loader, ClusterSettings config) {
    List<ProtocolConfiguration> protocols;
    try (InputStream in = resource(loader, JGROUPS_XML).openStream()) {
      protocols = XmlConfigurator.getInstance(in).getProtocolStack();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + JGROUPS_XML, e);
    }
    String host = config.host();
    properties(protocols, "TCP").put("bind_addr", host);
    properties(protocols, "TCP").put("bind_port", Integer.toString(config.port()));
    // FD_SOCK2 has its own bind address, else it listens on every interface
    properties(protocols, "FD_SOCK2").put("bind_addr", host);
    properties(protocols, "TCPPING").put("initial_hosts", initialHosts(config));
    if (config.discovery() == ClusterSettings.Discovery.DNS) {
      useDnsPing(protocols, config.dnsQuery());
    }
    // design decision 8: with a secret, everything above the transport is encrypted
    if (config.secret() != null) {
      ClusterEncryption.insertInto(protocols);
    }
    return protocols;
  }

  /**
   * Puts DNS_PING where TCPPING was. It asks for the A records of the query (a Kubernetes
   * headless service has one per pod) and probes each address on our own cluster port, since
   * TCP's port_range is 0; {@code publishNotReadyAddresses} on the service lets pods that are
   * still starting find each other.
   */
  private static void useDnsPing(List<ProtocolConfiguration> protocols, String dnsQuery) {
    int index = protocols.indexOf(protocol(protocols, "TCPPING"));
    Map<String, String> properties = new HashMap<>();
    properties.put("dns_query", dnsQuery);
    properties.put("dns_record_type", "A");
    // as TCPPING's: answer a join without waiting on every probe
    properties.put("async_discovery", "true");
    protocols.set(index, new ProtocolConfiguration(DNS_PING, properties));
  }

  /** TCPPING's {@code host[port],...}: the seeds plus this node, so a lone seed list still works. */
  static String initialHosts(ClusterSettings config) {
    List<String> hosts = new ArrayList<>();
    hosts.add(config.host() + "[" + config.port() + "]");
    for (String seed : config.seeds()) {
      int colon = seed.lastIndexOf(':');
      if (colon <= 0 || colon == seed.length() - 1) {
        throw new IllegalArgumentException("Seed is not host:port: " + seed);
      }
      String hostPort = seed.substring(0, colon) + "[" + seed.substring(colon + 1) + "]";
      if (!hosts.contains(hostPort)) {
        hosts.add(hostPort);
      }
    }
    return String.join(",", hosts);
  }

  private static Map<String, String> properties(List<ProtocolConfiguration> protocols, String name) {
    return protocol(protocols, name).getProperties();
  }

  private static ProtocolConfiguration protocol(List<ProtocolConfiguration> protocols, String name) {
    return protocols.stream()
        .filter(p -> p.getProtocolName().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(JGROUPS_XML + " has no " + name));
  }

  private static URL resource(ClassLoader loader, String name) {
    URL url = loader.getResource(name);
    if (url == null) {
      throw new IllegalStateException(name + " is not on the classpath");
    }
    return url;
  }
}
