package io.todocluster.cluster;

import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.ext.cluster.infinispan.InfinispanClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.infinispan.manager.DefaultCacheManager;

/**
 * vertx-infinispan's cluster manager, plus the memory of what this node announced: its node info
 * and its cluster-wide event bus subscriptions. When the cluster declares a member dead, the
 * others purge that member's node info and subscriptions; if the member was only paused or cut
 * off and comes back (a merge), nobody can send to it any more. {@link #reannounce} publishes
 * both again, exactly as Vert.x had, so that a merged member is reachable again without
 * restarting anything. Re-announcing what others still have changes nothing.
 */
public class RejoiningClusterManager extends InfinispanClusterManager {

  private final Map<String, Set<RegistrationInfo>> announced = new ConcurrentHashMap<>();
  private volatile NodeInfo nodeInfo;

  public RejoiningClusterManager(DefaultCacheManager cacheManager) {
    super(cacheManager);
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

  /** Publishes this node's info and subscriptions again (after a merge). */
  public Future<Void> reannounce() {
    List<Future<Void>> writes = new ArrayList<>();
    if (nodeInfo != null) {
      Promise<Void> written = Promise.promise();
      super.setNodeInfo(nodeInfo, written);
      writes.add(written.future());
    }
    announced.forEach((address, infos) -> infos.forEach(info -> {
      Promise<Void> written = Promise.promise();
      super.addRegistration(address, info, written);
      writes.add(written.future());
    }));
    return Future.all(writes).mapEmpty();
  }
}
