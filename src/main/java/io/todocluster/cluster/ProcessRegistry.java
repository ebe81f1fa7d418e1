package io.todocluster.cluster;

import io.todocluster.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.infinispan.AdvancedCache;
import org.infinispan.manager.EmbeddedCacheManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated registry of live processes (key -> node), Horde.Registry's part here: not on the
 * request path (ownership is computed), only what survivors read to know what was running on a
 * member that is gone. Registration is best effort: a lost entry only means that process starts
 * on its first request instead of at once.
 */
public final class ProcessRegistry {

  public static final String CACHE = "todo-registry";

  private static final Logger log = LoggerFactory.getLogger(ProcessRegistry.class);

  /** A live node stops a process in milliseconds; past this the new writer's takeover fences it anyway. */
  private static final DeliveryOptions RELEASE = new DeliveryOptions().setSendTimeout(2_000);

  private final Vertx vertx;
  private final AdvancedCache<String, String> cache;
  private final Membership membership;
  private final String self;
  /** Registrations (key, entry) and removals (key, null) not yet written, and whether a write is in flight. */
  private final Queue<Map.Entry<String, String>> queued = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean writing = new AtomicBoolean();

  public ProcessRegistry(Vertx vertx, EmbeddedCacheManager cacheManager, Membership membership) {
    this.vertx = vertx;
    this.cache = cacheManager.<String, String>getCache(CACHE).getAdvancedCache();
    this.membership = membership;
    this.self = membership.self();
  }

  /**
   * Before a process starts here: if it still runs on another live node (this node became its
   * owner by a join or a view change, and requests arrived before the move), that node is asked
   * to stop it first, so that the old process stops serving reads before the new one serves.
   */
  public Future<Void> claim(String key) {
    String holder = holder(key);
    if (holder == null || holder.equals(self) || !membership.members().contains(holder)) {
      return Future.succeededFuture();
    }
    return vertx.eventBus().request(Addresses.nodeRelease(holder), key, RELEASE).<Void>mapEmpty().otherwiseEmpty();
  }

  private String holder(String key) {
    try {
      String entry = cache.get(key); // a replicated cache reads from local memory
      return entry == null ? null : new JsonObject(entry).getString("node");
    } catch (RuntimeException unavailable) {
      return null;
    }
  }

  /**
   * Records that the process runs here. Registrations and removals are written in the order
   * they were made, by one writer; those made while a write is in flight go out together as the
   * next one, so a failover that starts hundreds of processes at once makes a few replicated
   * writes instead of one per process.
   */
  public void register(String key) {
    queue(key, new JsonObject().put("node", self).put("since", System.currentTimeMillis()).encode());
  }

  /** Forgets a process that ended here (and only if the registry still says it runs here). */
  public void unregister(String key) {
    queue(key, null);
  }

  private void queue(String key, String entryOrNull) {
    queued.add(new java.util.AbstractMap.SimpleImmutableEntry<>(key, entryOrNull));
    if (writing.compareAndSet(false, true)) {
      writeQueued();
    }
  }

  /** Writes what is queued, then again until nothing is: the only writer, one write at a time. */
  private void writeQueued() {
    Map<String, String> latest = new LinkedHashMap<>();
    for (Map.Entry<String, String> op; (op = queued.poll()) != null; ) {
      latest.put(op.getKey(), op.getValue());
    }
    if (latest.isEmpty()) {
      writing.set(false);
      // an operation queued after the poll and before the flag was cleared found it still set
      if (!queued.isEmpty() && writing.compareAndSet(false, true)) {
        writeQueued();
      }
      return;
    }
    Map<String, String> puts = new HashMap<>();
    List<CompletableFuture<?>> writes = new ArrayList<>();
    latest.forEach((key, entry) -> {
      if (entry != null) {
        puts.put(key, entry);
      } else {
        writes.add(removeIfHere(key));
      }
    });
    if (!puts.isEmpty()) {
      try {
        writes.add(cache.putAllAsync(puts).exceptionally(error -> {
          log.debug("{} processes not registered: {}", puts.size(), error.toString());
          return null;
        }));
      } catch (RuntimeException refused) { // the cache is stopping or on a minority side
        log.debug("{} processes not registered: {}", puts.size(), refused.toString());
      }
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> writeQueued());
  }

  private CompletableFuture<?> removeIfHere(String key) {
    try {
      // asynchronous even though the copy is local: this runs on Infinispan's non-blocking threads
      return cache.getAsync(key)
          .thenCompose(entry -> entry != null && self.equals(new JsonObject(entry).getString("node"))
              ? cache.removeAsync(key, entry) : CompletableFuture.completedFuture(false))
          .exceptionally(error -> {
            log.debug("process {} not unregistered: {}", key, error.toString());
            return false;
          });
    } catch (RuntimeException refused) { // the cache is stopping or on a minority side
      log.debug("process {} not unregistered: {}", key, refused.toString());
      return CompletableFuture.completedFuture(false);
    }
  }

  /**
   * The keys registered on any of these nodes: a scan of this node's own copy (the cache is
   * replicated), on a worker. Not through the cache's iteration, which runs as a cluster
   * operation and, right after a view change, waited for the new topology (~0.4 s measured).
   */
  public Future<List<String>> keysOn(Set<String> nodes) {
    return vertx.executeBlocking(() -> {
      List<String> keys = new ArrayList<>();
      cache.getDataContainer().forEach(stored -> {
        if (stored.getValue() != null && nodes.contains(new JsonObject(stored.getValue()).getString("node"))) {
          keys.add(stored.getKey());
        }
      });
      return keys;
    }, false);
  }
}
