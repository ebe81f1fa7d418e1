package io.todocluster.cluster;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.infinispan.Cache;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.statetransfer.StateTransferManager;
import org.infinispan.topology.CacheTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a state transfer into this node that no longer moves, and says so once.
 *
 * <p>Infinispan 14.0 can leave an inbound transfer registered for good: when the coordinator
 * changes during a rebalance, the next coordinator installs a conflict resolution topology, for
 * which the state consumer neither finishes nor cancels the transfers already under way; their
 * answers are then discarded, and every later rebalance waits for them (RELIABILITY.md, bug 14).
 * A graceful stop no longer causes this ({@link GracefulLeave}); a coordinator that crashes
 * mid-rebalance still can. Nothing inside the cache undoes it; the member leaving the cache does,
 * so whoever gets the report restarts the node (a new incarnation, as after a freeze).
 *
 * <p>"No longer moves": requested segments are in flight, and neither their number nor the
 * cache's topology has changed for {@link #STUCK_AFTER}. A live transfer finishes a segment at a
 * time, in well under a second each here; 90 s without one is not slowness.
 */
public final class StuckTransferWatch {

  static final Duration STUCK_AFTER = Duration.ofSeconds(90);
  private static final long CHECK_EVERY_MS = 1_000;
  private static final Logger log = LoggerFactory.getLogger(StuckTransferWatch.class);

  /** What one look at a cache's inbound state transfer sees. */
  record Sample(int topologyId, long segmentsInFlight) {
  }

  /** The rule, on samples and a clock: stuck once segments are in flight and nothing changed for the bound. */
  static final class Detector {
    private Sample last;
    private long since;

    boolean stuck(Sample now, long nanos) {
      if (now.segmentsInFlight() == 0) {
        last = null;
        return false;
      }
      if (!now.equals(last)) {
        last = now;
        since = nanos;
        return false;
      }
      return nanos - since >= STUCK_AFTER.toNanos();
    }
  }

  private final Vertx vertx;
  private final EmbeddedCacheManager cacheManager;
  private final List<String> caches;
  private final Consumer<String> onStuck;
  private final Map<String, Detector> detectors = new HashMap<>();
  private long timer = -1;

  /** @param onStuck told once, with which cache and what it waits for */
  public StuckTransferWatch(Vertx vertx, EmbeddedCacheManager cacheManager, List<String> caches,
      Consumer<String> onStuck) {
    this.vertx = vertx;
    this.cacheManager = cacheManager;
    this.caches = List.copyOf(caches);
    this.onStuck = onStuck;
  }

  /** Looks once a second, on a context of its own. */
  public StuckTransferWatch start() {
    vertx.runOnContext(v -> timer = vertx.setPeriodic(CHECK_EVERY_MS, id -> check()));
    return this;
  }

  public void stop() {
    vertx.runOnContext(v -> vertx.cancelTimer(timer));
  }

  private void check() {
    long now = System.nanoTime();
    for (String name : caches) {
      Sample sample = sample(name);
      if (sample != null && detectors.computeIfAbsent(name, n -> new Detector()).stuck(sample, now)) {
        String what = "the state transfer into cache " + name + " has waited for " + sample.segmentsInFlight()
            + " segments in topology " + sample.topologyId() + " for " + STUCK_AFTER.toSeconds() + " s";
        log.error("{}: this node restarts as a new incarnation, which ends it", what);
        vertx.cancelTimer(timer);
        onStuck.accept(what);
        return;
      }
    }
  }

  private Sample sample(String name) {
    if (!cacheManager.isRunning(name)) {
      return null;
    }
    Cache<?, ?> cache = cacheManager.getCache(name, false);
    if (cache == null) {
      return null;
    }
    var registry = cache.getAdvancedCache().getComponentRegistry();
    StateTransferManager transfers = registry.getComponent(StateTransferManager.class);
    CacheTopology topology = cache.getAdvancedCache().getDistributionManager().getCacheTopology();
    if (transfers == null || topology == null) {
      return null;
    }
    return new Sample(topology.getTopologyId(), transfers.getInflightSegmentTransferCount());
  }
}
