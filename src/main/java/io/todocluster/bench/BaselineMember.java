package io.todocluster.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.ext.cluster.infinispan.InfinispanClusterManager;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachemanagerlistener.annotation.ViewChanged;
import org.infinispan.notifications.cachemanagerlistener.event.ViewChangedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * A baseline cluster member, started by the bench as its own JVM from the fat jar:
 * {@code java -cp todo-cluster.jar io.todocluster.bench.BaselineMember mode=ha name=b1 port=... seeds=...}.
 * Modes: {@code ha}, a clustered Vert.x with {@code setHAEnabled(true)} (and with {@code deploy=true}
 * the {@link HaProbe} deployed with {@code setHa(true)}); {@code bare}, a clustered Vert.x on
 * Vert.x's caches only (the footprint baseline); {@code puts}, a cache member that, given
 * {@code drive=true}, times synchronous puts on {@code todo-entries} (the write-path baseline).
 * Every member logs each view it installs, with the wall-clock time, for the detection floor.
 */
public final class BaselineMember {

  private static final Logger LOG = LoggerFactory.getLogger(BaselineMember.class);
  static final String READY = "BASELINE-READY";
  static final String VIEW = "VIEW-INSTALLED";

  private BaselineMember() {}

  public static void main(String[] args) throws Exception {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    Map<String, String> a = arguments(args);
    String mode = a.getOrDefault("mode", "ha");
    List<Integer> seeds = a.getOrDefault("seeds", "").isEmpty() ? List.of()
        : Arrays.stream(a.get("seeds").split(",")).map(Integer::parseInt).toList();
    DefaultCacheManager cacheManager = BaselineCluster.start(a.get("name"), Integer.parseInt(a.get("port")), seeds,
        Path.of(a.get("data")), "default".equals(a.get("detection")), "bare".equals(mode));
    cacheManager.addListener(new ViewLogger());
    if ("puts".equals(mode)) {
      LOG.info("{} at={}", READY, System.currentTimeMillis());
      if (Boolean.parseBoolean(a.get("drive"))) {
        RawPuts.drive(cacheManager, a);
      }
      Thread.currentThread().join(); // stays a member until the bench kills it
    }
    VertxOptions options = new VertxOptions().setHAEnabled("ha".equals(mode))
        .setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0));
    Vertx vertx = Vertx.builder().with(options).withClusterManager(new InfinispanClusterManager(cacheManager))
        .buildClustered().await();
    if (Boolean.parseBoolean(a.get("deploy"))) {
      vertx.deployVerticle(HaProbe.class.getName(), new DeploymentOptions().setHa(true)).await();
    }
    LOG.info("{} at={}", READY, System.currentTimeMillis());
  }

  /** {@code key=value} arguments. */
  static Map<String, String> arguments(String[] args) {
    Map<String, String> map = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("expected key=value, got " + arg);
      }
      map.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    return map;
  }

  /** Logs every view this member installs; the bench takes the first one after its kill. */
  @Listener(sync = true)
  public static final class ViewLogger {
    @ViewChanged
    public void viewChanged(ViewChangedEvent event) {
      LOG.info("{} members={} at={}", VIEW, event.getNewMembers().size(), System.currentTimeMillis());
    }
  }
}
