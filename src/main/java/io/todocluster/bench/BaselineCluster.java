package io.todocluster.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.configuration.parsing.ConfigurationBuilderHolder;
import org.infinispan.configuration.parsing.ParserRegistry;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.remoting.transport.jgroups.EmbeddedJGroupsChannelConfigurator;
import org.jgroups.conf.ProtocolConfiguration;
import org.jgroups.conf.XmlConfigurator;

/**
 * The cache manager of a baseline member: the nodes' own todo-infinispan.xml and todo-jgroups.xml
 * with the per-node values applied as io.todocluster.cluster.ClusterManagerFactory applies them
 * (loopback binds, TCPPING seeds), so that a baseline runs on the same stack as our nodes. Two
 * knobs a node does not have: JGroups' default failure detection (the first HA baseline)
 * and a cache manager with Vert.x's caches only (the bare clustered Vert.x node).
 */
final class BaselineCluster {

  static final String INFINISPAN_XML = "todo-infinispan.xml";
  static final String JGROUPS_XML = "todo-jgroups.xml";
  static final String STACK = "todo";
  /** JGroups 5.2's own defaults for what todo-jgroups.xml tunes (FD_SOCK2 connect_timeout, VERIFY_SUSPECT2 timeout). */
  static final Map<String, Map<String, String>> DEFAULT_DETECTION = Map.of(
      "FD_SOCK2", Map.of("connect_timeout", "1000"),
      "VERIFY_SUSPECT2", Map.of("timeout", "1500"),
      "FD_ALL3", Map.of("timeout", "40000", "interval", "8000"));

  private BaselineCluster() {}

  /** Builds and starts the cache manager (blocking: it joins the cluster). */
  static DefaultCacheManager start(String name, int clusterPort, List<Integer> seeds, Path dataDir,
      boolean defaultDetection, boolean vertxCachesOnly) {
    ClassLoader loader = BaselineCluster.class.getClassLoader();
    ConfigurationBuilderHolder holder;
    try {
      holder = new ParserRegistry(loader).parse(loader.getResource(INFINISPAN_XML));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (vertxCachesOnly) {
      holder.getNamedConfigurationBuilders().keySet().removeIf(cache -> cache.startsWith("todo-"));
    }
    GlobalConfigurationBuilder global = holder.getGlobalConfigurationBuilder();
    global.classLoader(loader);
    global.transport().nodeName(name + "-" + System.nanoTime() % 10_000).stack(STACK)
        .jgroups().addStack(STACK).channelConfigurator(new EmbeddedJGroupsChannelConfigurator(STACK,
            protocols(loader, clusterPort, seeds, defaultDetection), null));
    global.globalState().enable().persistentLocation(dataDir.resolve("infinispan").toAbsolutePath().toString());
    return new DefaultCacheManager(holder, true);
  }

  private static List<ProtocolConfiguration> protocols(ClassLoader loader, int clusterPort, List<Integer> seeds,
      boolean defaultDetection) {
    List<ProtocolConfiguration> protocols;
    try (InputStream in = loader.getResource(JGROUPS_XML).openStream()) {
      protocols = XmlConfigurator.getInstance(in).getProtocolStack();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    properties(protocols, "TCP").put("bind_addr", "127.0.0.1");
    properties(protocols, "TCP").put("bind_port", Integer.toString(clusterPort));
    properties(protocols, "FD_SOCK2").put("bind_addr", "127.0.0.1");
    List<String> hosts = new ArrayList<>();
    hosts.add("127.0.0.1[" + clusterPort + "]");
    seeds.stream().filter(p -> p != clusterPort).forEach(p -> hosts.add("127.0.0.1[" + p + "]"));
    properties(protocols, "TCPPING").put("initial_hosts", String.join(",", hosts));
    if (defaultDetection) {
      DEFAULT_DETECTION.forEach((protocol, values) -> properties(protocols, protocol).putAll(values));
    }
    return protocols;
  }

  private static Map<String, String> properties(List<ProtocolConfiguration> protocols, String name) {
    return protocols.stream().filter(p -> p.getProtocolName().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException(JGROUPS_XML + " has no " + name)).getProperties();
  }
}
