package io.todocluster.cluster;

import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.ext.cluster.infinispan.InfinispanClusterManager;
import io.vertx.ext.cluster.infinispan.impl.DataConverter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.infinispan.context.Flag;
import org.infinispan.manager.DefaultCacheManager;

/**
 * vertx-infinispan's cluster manager, plus the memory of what this node announced: its node info
 * and its cluster-wide event bus subscriptions. When the cluster declares a member dead, the
 * others purge that member's node info and subscriptions; if the member was only paused or cut
 * off and comes back (a merge), nobody can send to it any more. {@link #reannounce} publishes
 * both again, exactly as Vert.x had, so that a merged member is reachable again without
 * restarting anything. Re-announcing what others still have changes nothing.
 *
 * <p>The node info is written straight into Vert.x's node info cache, as Vert.x writes it, and not
 * through {@code setNodeInfo}: that takes the manager's lock, which vertx-infinispan's view
 * listener holds while its coordinator removes a lost member's subscriptions, one blocking cache
 * call at a time. On the minority side of a partition each of those calls waits for a timeout,
 * so the lock can be held for minutes, and an event loop that waited for it would serve nothing.
 */
public class RejoiningClusterManager extends InfinispanClusterManager {

  /** Vert.x's cache of every node's info (vertx-infinispan's name for it). */
  static final String NODE_INFO_CACHE = "__vertx.nodeInfo";

  private final Map<String, Set<RegistrationInfo>> announced = new ConcurrentHashMap<>();
  private final DefaultCacheManager cacheManager;
  private volatile NodeInfo nodeInfo;

  public RejoiningClusterManager(DefaultCacheManager cacheManager) {
    super(cacheManager);
    this.cacheManager = cacheManager;
  }

  @Override
  public void setNodeInfo(NodeInfo info, Completable<Void> promise) {
    nodeInfo = info;
    super.setNodeInfo(info, promise);
  }

  @Override
  public void addRegistration(String address, RegistrationInfo info, Completable<Void> promise) {
    if (!info.localOnly()) {
      announced.computeIfAbsent(address, a -> ConcurrentHashMap.newKeySet()).add(info);
    }
    super.addRegistration(address, info, promise);
  }

  @Override
  public void removeRegistration(String address, RegistrationInfo info, Completable<Void> promise) {
    announced.computeIfPresent(address, (a, infos) -> {
      infos.remove(info);
      return infos.isEmpty() ? null : infos;
    });
    super.removeRegistration(address, info, promise);
  }

  /** Publishes this node's info and subscriptions again (after a merge); never blocks the caller. */
  public Future<Void> reannounce() {
    List<Future<Void>> writes = new ArrayList<>();
    NodeInfo self = nodeInfo;
    if (self != null) {
      try {
        writes.add(Future.fromCompletionStage(cacheManager.<String, byte[]>getCache(NODE_INFO_CACHE).getAdvancedCache()
            .withFlags(Flag.IGNORE_RETURN_VALUES).putAsync(getNodeId(), DataConverter.toCachedObject(self))).mapEmpty());
      } catch (RuntimeException stopping) {
        writes.add(Future.failedFuture(stopping)); // the cache manager is stopping: nothing to announce to
      }
    }
    announced.forEach((address, infos) -> infos.forEach(info -> {
      Promise<Void> written = Promise.promise();
      super.addRegistration(address, info, written);
      writes.add(written.future());
    }));
    return Future.all(writes).mapEmpty();
  }
}
