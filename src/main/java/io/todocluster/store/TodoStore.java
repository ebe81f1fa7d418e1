package io.todocluster.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.List;
import org.infinispan.AdvancedCache;
import org.infinispan.conflict.ConflictManagerFactory;
import org.infinispan.topology.CacheTopology;
import org.infinispan.Cache;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.partitionhandling.AvailabilityException;
import org.infinispan.partitionhandling.AvailabilityMode;
import org.infinispan.commons.CacheException;

/**
 * The replicated database (the book's {@code Todo.Database}), on Infinispan caches owned by the
 * cache manager of the cluster manager. One key per entry ({@code list/id}) so that a write does
 * not grow with the list; every key of a list lives with its list's owners (see
 * {@link ListGrouper}). Only asynchronous cache calls are made, and their results are handed back
 * on the caller's context: nothing here blocks an event loop. Writes are synchronous replication
 * plus write-through persistence, so a completed future means the write is stored.
 */
public final class TodoStore implements ListStore {

  public static final String ENTRIES = "todo-entries";
  public static final String LISTS = "todo-lists";
  public static final String IDEMPOTENCY = "todo-idempotency";

  /** The store's caches, each with its own directory of stored copies on every node. */
  public static final List<String> CACHES = List.of(ENTRIES, LISTS, IDEMPOTENCY);

  /** Idempotency records are kept a day: long enough for any client's retries. */
  private static final long IDEMPOTENCY_HOURS = 24;

  private final Vertx vertx;
  private final java.util.Map<String, Long> rehashed = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Map<String, Long> installed = new java.util.concurrent.ConcurrentHashMap<>();
  private final AdvancedCache<String, String> entries;
  private final AdvancedCache<String, String> lists;
  private final AdvancedCache<String, String> idempotency;
  private volatile StoreObserver observer = StoreObserver.NONE;

  private TodoStore(Vertx vertx, Cache<String, String> entries, Cache<String, String> lists,
      Cache<String, String> idempotency) {
    this.vertx = vertx;
    this.entries = entries.getAdvancedCache();
    this.lists = lists.getAdvancedCache();
    this.idempotency = idempotency.getAdvancedCache();
    RehashListener listener = new RehashListener();
    List.of(this.entries, this.lists, this.idempotency).forEach(cache -> cache.addListener(listener));
  }

  /** Remembers when each cache last finished moving data between members, and last installed a topology. */
  @org.infinispan.notifications.Listener
  public final class RehashListener {
    @org.infinispan.notifications.cachelistener.annotation.DataRehashed
    public void rehashed(org.infinispan.notifications.cachelistener.event.DataRehashedEvent<?, ?> event) {
      if (!event.isPre()) {
        rehashed.put(event.getCache().getName(), System.nanoTime());
      }
    }

    @org.infinispan.notifications.cachelistener.annotation.TopologyChanged
    public void installed(org.infinispan.notifications.cachelistener.event.TopologyChangedEvent<?, ?> event) {
      if (!event.isPre()) {
        installed.put(event.getCache().getName(), System.nanoTime());
      }
    }
  }

  /**
   * Whether the store has settled since a merge or a coordinator change: conflicts resolved, no
   * rebalance running, and every given member in the topology (with {@code sinceNanos} at
   * Long.MIN_VALUE, for an event learned of late, only the present state counts). Until then a read may see a copy
   * that conflict resolution is about to replace, and a write may race with it.
   */
  public boolean settled(java.util.Collection<String> members, long sinceNanos, boolean afterMerge) {
    for (AdvancedCache<String, String> cache : List.of(entries, lists, idempotency)) {
      // a merge always ends with conflict resolution and then a rebalance: until one has
      // finished since the merge, the topology can look complete while the copies still differ;
      // a new coordinator always installs a new topology first (and then resolves conflicts)
      Map<String, Long> event = afterMerge ? rehashed : installed;
      if (event.getOrDefault(cache.getName(), 0L) <= sinceNanos) {
        return false;
      }
      var distribution = cache.getDistributionManager();
      CacheTopology topology = distribution.getCacheTopology();
      java.util.Set<String> present = new java.util.HashSet<>();
      topology.getActualMembers().forEach(a -> present.add(a.toString()));
      if (ConflictManagerFactory.get(cache).isConflictResolutionInProgress() || distribution.isRehashInProgress()
          || topology.getPhase() != CacheTopology.Phase.NO_REBALANCE || !present.containsAll(members)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The store's topology id once every cache has rebalanced to exactly these members (no
   * rebalance or conflict resolution running), else -1: the membership it then runs with holds
   * every acknowledged write on its owners.
   */
  public long stableTopology(java.util.Collection<String> members) {
    long id = -1;
    for (AdvancedCache<String, String> cache : List.of(entries, lists, idempotency)) {
      var distribution = cache.getDistributionManager();
      CacheTopology topology = distribution.getCacheTopology();
      Set<String> owners = new HashSet<>();
      topology.getCurrentCH().getMembers().forEach(a -> owners.add(a.toString()));
      if (topology.getPhase() != CacheTopology.Phase.NO_REBALANCE || distribution.isRehashInProgress()
          || topology.getPendingCH() != null || !owners.equals(new HashSet<>(members))
          || cache.getAvailability() != AvailabilityMode.AVAILABLE) {
        return -1;
      }
      if (cache == lists) {
        id = topology.getTopologyId();
      }
    }
    return id;
  }

  /**
   * Runs Infinispan's conflict resolution over every cache, with {@link VersionedMergePolicy}
   * (blocking: call it on a worker). Infinispan runs it itself after a merge or a coordinator
   * change, but when that run fails or is cancelled it completes the merge anyway, with the copies
   * unreconciled (ClusterCacheStatus logs ISPN000524 and goes on): this run is the one the node
   * waits for, and retries until it succeeds.
   */
  public void resolveConflicts() {
    for (AdvancedCache<String, String> cache : List.of(entries, lists, idempotency)) {
      ConflictManagerFactory.get(cache).resolveConflicts();
    }
  }

  /**
   * Writes a copy of a key unless the store holds one at the same or a newer version (see
   * {@link VersionedMergePolicy}): how a node's stored copies rejoin the store after a restart of
   * the whole cluster. True when it wrote.
   */
  public Future<Boolean> mergeNewest(String cacheName, String key, String value) {
    AdvancedCache<String, String> cache = switch (cacheName) {
      case ENTRIES -> entries;
      case LISTS -> lists;
      case IDEMPOTENCY -> idempotency;
      default -> throw new IllegalArgumentException("not a store cache: " + cacheName);
    };
    Context context = vertx.getOrCreateContext();
    long version = VersionedMergePolicy.version(value);
    return fromStage(cache.putIfAbsentAsync(key, value), context).compose(previous -> {
      if (previous == null) {
        return Future.succeededFuture(true);
      }
      if (VersionedMergePolicy.version(previous) >= version) {
        return Future.succeededFuture(false);
      }
      return fromStage(cache.replaceAsync(key, previous, value), context)
          .compose(replaced -> replaced ? Future.succeededFuture(true) : mergeNewest(cacheName, key, value));
    });
  }

  /** Whether the member (by node name) is in the current topology of any of the store's caches. */
  public boolean holds(String member) {
    for (AdvancedCache<String, String> cache : List.of(entries, lists, idempotency)) {
      for (var address : cache.getDistributionManager().getCacheTopology().getMembers()) {
        if (member.equals(address.toString())) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whoever wants to know how long each store call takes (the node's metrics). */
  public void observe(StoreObserver observer) {
    this.observer = observer;
  }

  /** Whether the caches take reads and writes here: running, and not on the minority side of a partition. */
  public boolean isAvailable() {
    return List.of(entries, lists, idempotency).stream().allMatch(cache -> cache.getStatus().allowInvocations()
        && cache.getAvailability() == AvailabilityMode.AVAILABLE);
  }

  /** Starts the caches (a blocking step, so it runs on a worker). */
  public static Future<TodoStore> open(Vertx vertx, EmbeddedCacheManager manager) {
    return vertx.executeBlocking(() -> new TodoStore(vertx,
        manager.getCache(ENTRIES), manager.getCache(LISTS), manager.getCache(IDEMPOTENCY)), false);
  }

  /** The list's head as stored now (a local read where the list's process runs: it runs on the head's primary owner). */
  @Override
  public Future<ListMeta> head(String list) {
    return call("head", () -> lists.getAsync(list), vertx.getOrCreateContext())
        .map(json -> json == null ? ListMeta.EMPTY : ListMeta.decode(json));
  }

  /** The heads of many lists in one call (local reads where their processes run: on their primary owner). */
  @Override
  public Future<Map<String, ListMeta>> heads(java.util.Collection<String> names) {
    return call("heads", () -> lists.getAllAsync(new HashSet<>(names)), vertx.getOrCreateContext()).map(found -> {
      Map<String, ListMeta> heads = new HashMap<>();
      for (String list : names) {
        String json = found.get(list);
        heads.put(list, json == null ? ListMeta.EMPTY : ListMeta.decode(json));
      }
      return heads;
    });
  }

  /**
   * Moves a list's head from {@code expected} to {@code next}, only if nobody moved it since;
   * fails with {@link StaleWriterException} otherwise. A head stored by the protocol before
   * epochs is spelled differently from {@code expected.encode()}: when the plain replace misses,
   * the stored head is read and compared by value.
   */
  @Override
  public Future<ListMeta> advance(String list, ListMeta expected, ListMeta next) {
    Context context = vertx.getOrCreateContext();
    String expectedJson = expected.encode();
    Supplier<CompletionStage<Boolean>> swap = () -> expected.version() == 0
        ? lists.putIfAbsentAsync(list, next.encode()).thenApply(previous -> previous == null)
        : lists.replaceAsync(list, expectedJson, next.encode()).thenCompose(replaced -> replaced
            ? CompletableFuture.completedFuture(true)
            : lists.getAsync(list).thenCompose(current -> current == null || current.equals(expectedJson)
                || !ListMeta.decode(current).equals(expected)
                ? CompletableFuture.completedFuture(false)
                : lists.replaceAsync(list, current, next.encode())));
    return call("advance", swap, context).compose(ok -> ok
        ? Future.succeededFuture(next)
        : Future.failedFuture(new StaleWriterException(list, expected)));
  }

  @Override
  public Future<Map<Long, JsonObject>> entries(String list, long from, long to) {
    Set<String> keys = new HashSet<>();
    for (long id = from; id < to; id++) {
      keys.add(entryKey(list, id));
    }
    return call("read_entries", () -> entries.getAllAsync(keys), vertx.getOrCreateContext()).map(found -> {
      Map<Long, JsonObject> byId = new HashMap<>();
      found.forEach((key, json) -> byId.put(Long.parseLong(key.substring(key.lastIndexOf(ListGrouper.SEPARATOR) + 1)),
          new JsonObject(json)));
      return byId;
    });
  }

  /** The entries of many lists in one call: one getAll over all of their keys. */
  @Override
  public Future<Map<String, Map<Long, JsonObject>>> entries(Map<String, IdRange> ranges) {
    Map<String, Map.Entry<String, Long>> listAndIdOfKey = new HashMap<>();
    ranges.forEach((list, range) -> {
      for (long id = range.from(); id < range.to(); id++) {
        listAndIdOfKey.put(entryKey(list, id), Map.entry(list, id));
      }
    });
    return call("read_entries_of_lists", () -> entries.getAllAsync(listAndIdOfKey.keySet()), vertx.getOrCreateContext())
        .map(found -> {
          Map<String, Map<Long, JsonObject>> byList = new HashMap<>();
          ranges.keySet().forEach(list -> byList.put(list, new HashMap<>()));
          found.forEach((key, json) -> {
            Map.Entry<String, Long> listAndId = listAndIdOfKey.get(key);
            byList.get(listAndId.getKey()).put(listAndId.getValue(), new JsonObject(json));
          });
          return byList;
        });
  }

  /**
   * Writes an entry under an id only if nothing is stored there, stamped with the version of
   * the write: after a partition heals, the copy with the highest version wins
   * ({@link VersionedMergePolicy}).
   */
  @Override
  public Future<JsonObject> addEntry(String list, long id, JsonObject entry, long version) {
    String stamped = entry.copy().put(VersionedMergePolicy.VERSION, version).encode();
    return call("add_entry", () -> entries.putIfAbsentAsync(entryKey(list, id), stamped), vertx.getOrCreateContext())
        .map(existing -> existing == null ? null : new JsonObject(existing));
  }

  @Override
  public Future<Void> putEntry(String list, long id, JsonObject entry, long version) {
    String stamped = entry.copy().put(VersionedMergePolicy.VERSION, version).encode();
    return call("put_entry", () -> entries.putAsync(entryKey(list, id), stamped), vertx.getOrCreateContext()).mapEmpty();
  }

  /** One stored entry, a tombstone or null if it was never written. */
  @Override
  public Future<JsonObject> entry(String list, long id) {
    return call("entry", () -> entries.getAsync(entryKey(list, id)), vertx.getOrCreateContext())
        .map(json -> json == null ? null : new JsonObject(json));
  }

  /** What a write with this idempotency key answered the first time, or null. */
  @Override
  public Future<JsonObject> idempotent(String list, String key) {
    return call("idempotent", () -> idempotency.getAsync(idempotencyKey(list, key)), vertx.getOrCreateContext())
        .map(json -> json == null ? null : new JsonObject(json));
  }

  @Override
  public Future<Void> rememberIdempotent(String list, String key, JsonObject result) {
    return call("remember_idempotent", () -> idempotency.putAsync(idempotencyKey(list, key), result.encode(),
        IDEMPOTENCY_HOURS, TimeUnit.HOURS), vertx.getOrCreateContext()).mapEmpty();
  }

  static String entryKey(String list, long id) {
    return list + ListGrouper.SEPARATOR + id;
  }

  static String idempotencyKey(String list, String key) {
    return list + ListGrouper.SEPARATOR + key;
  }

  /** One cache call, timed from before it is made (an async call may do part of its work at once). */
  private <T> Future<T> call(String operation, Supplier<CompletionStage<T>> stage, Context context) {
    long started = System.nanoTime();
    Future<T> result;
    try {
      result = fromStage(stage.get(), context);
    } catch (RuntimeException refused) {
      result = Future.failedFuture(translate(refused));
    }
    return result.andThen(ar -> observer.completed(operation, System.nanoTime() - started, ar.succeeded()));
  }

  private static <T> Future<T> fromStage(CompletionStage<T> stage, Context context) {
    return Future.fromCompletionStage(stage, context).recover(error -> Future.failedFuture(translate(error)));
  }

  private static Throwable translate(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof AvailabilityException) {
      return new StoreUnavailableException("the store is not available on this side of a partition", cause);
    }
    if (cause instanceof CacheException && cause.getMessage() != null && cause.getMessage().contains("not running")) {
      return new StoreUnavailableException("the store is stopping", cause);
    }
    return cause;
  }
}
