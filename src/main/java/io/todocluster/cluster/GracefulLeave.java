package io.todocluster.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.topology.LocalTopologyManager;
import org.infinispan.topology.RebalancingStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leaves the cluster's data before leaving the cluster: the given caches stop first (the members
 * that stay take over their segments in a rebalance), and only once the coordinator reports those
 * rebalances finished does the cache manager stop and the node leave the view.
 *
 * <p>Why: when the node that leaves is the coordinator and leaves the view while the rebalance its
 * leave started still runs, the next coordinator recovers the caches and installs a conflict
 * resolution topology. Infinispan 14.0's state consumer skips its transfer bookkeeping for that
 * topology, so a transfer of the interrupted rebalance stays registered, its answers are discarded,
 * and the next rebalance never finishes: every later joiner then waits for its initial state until
 * it times out (RELIABILITY.md, rolling restart). A node that is not the coordinator changes no
 * coordinator by leaving, but waiting costs it only the rebalance's time, so every node waits.
 *
 * <p>Blocking: call it on a thread that may block (the node's stop runs it after Vert.x closed).
 */
public final class GracefulLeave {

  private static final Logger log = LoggerFactory.getLogger(GracefulLeave.class);
  private static final Duration POLL = Duration.ofMillis(100);
  /** One question to the coordinator; it is another node, which may itself be going away. */
  private static final Duration ASK = Duration.ofSeconds(5);

  private GracefulLeave() {
  }

  /**
   * Stops {@code caches} on this node, waits up to {@code bound} until the coordinator has no
   * rebalance of them running or queued, then stops the cache manager. Past the bound it stops
   * anyway (with a warning): a node asked to stop must stop.
   */
  public static void leave(EmbeddedCacheManager cacheManager, List<String> caches, Duration bound) {
    long since = System.nanoTime();
    try {
      for (String name : caches) {
        if (cacheManager.isRunning(name)) {
          cacheManager.getCache(name).stop();
        }
      }
      if (cacheManager.getMembers() != null && cacheManager.getMembers().size() > 1) {
        awaitRebalanced(cacheManager, caches, since + bound.toNanos());
      }
      log.info("leaving: the store's rebalance without this node finished after {} ms",
          (System.nanoTime() - since) / 1_000_000);
    } catch (RuntimeException | TimeoutNotice error) {
      log.warn("leaving: the store's rebalance without this node did not finish within {} ({}); leaving anyway",
          bound, error.getMessage());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
    cacheManager.stop();
  }

  private static void awaitRebalanced(EmbeddedCacheManager cacheManager, List<String> caches, long deadline)
      throws InterruptedException, TimeoutNotice {
    LocalTopologyManager topology = cacheManager.getGlobalComponentRegistry().getComponent(LocalTopologyManager.class);
    for (String name : caches) {
      while (true) {
        RebalancingStatus status = statusAtCoordinator(topology, name);
        // SUSPENDED: rebalancing is off (an operator's choice), no rebalance will come to wait for
        if (status == RebalancingStatus.COMPLETE || status == RebalancingStatus.SUSPENDED) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new TimeoutNotice(name + " is still " + status);
        }
        Thread.sleep(POLL.toMillis()); // the coordinator has no notification for a finished rebalance of a cache we left
      }
    }
  }

  private static RebalancingStatus statusAtCoordinator(LocalTopologyManager topology, String cache) {
    return CompletableFuture.supplyAsync(() -> {
          try {
            return topology.getRebalancingStatus(cache);
          } catch (Exception error) {
            throw new CompletionException(error);
          }
        })
        .orTimeout(ASK.toMillis(), TimeUnit.MILLISECONDS)
        .join();
  }

  /** The bound passed; carries which cache was still rebalancing. */
  private static final class TimeoutNotice extends Exception {
    TimeoutNotice(String message) {
      super(message, null, false, false);
    }
  }
}
