package io.todocluster.cluster;

import io.todocluster.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.infinispan.AdvancedCache;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.PartitionStatusChanged;
import org.infinispan.notifications.cachelistener.event.PartitionStatusChangedEvent;
import org.infinispan.notifications.cachemanagerlistener.annotation.Merged;
import org.infinispan.notifications.cachemanagerlistener.annotation.ViewChanged;
import org.infinispan.notifications.cachemanagerlistener.event.ViewChangedEvent;
import org.infinispan.partitionhandling.AvailabilityMode;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.MergeView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is in the cluster, as Infinispan sees it (the {@code :net_kernel.monitor_nodes} of this
 * system): members from the cache manager's view changes and merges (not from Vert.x's single
 * node-listener slot, which Vert.x itself needs), each member's role from the metadata it
 * publishes with its Vert.x node info, members announced as leaving, and the partition state
 * of the store. From these it keeps the {@link Placement} of processes over the live servers
 * (each process with its data: {@link DataPlacement}),
 * publishes every change on {@code cluster.events}, and tells its listeners which members left.
 */
@Listener
public final class Membership {

  private static final Logger log = LoggerFactory.getLogger(Membership.class);

  /** A joining node publishes its node info right after joining; give it 30 s before assuming it serves. */
  private static final int ROLE_LOOKUPS = 300;
  private static final long ROLE_LOOKUP_INTERVAL_MS = 100;

  /** Removing a subscription reaches every member in milliseconds; this bound is for a sick cluster. */
  private static final java.time.Duration UNSUBSCRIBE_BOUND = java.time.Duration.ofSeconds(5);

  /**
   * What changed: the members lost from the view (crashed, cut off, or gone after leaving), the
   * servers no longer placed on (lost or leaving), and the servers newly placed on.
   */
  public record Change(Set<String> lost, Set<String> removed, Set<String> added) {
  }

  private final Vertx vertx;
  private final EmbeddedCacheManager cacheManager;
  private final ClusterManager clusterManager;
  private final String self;
  private final boolean selfServes;
  private final AdvancedCache<?, ?> store;
  private final Set<String> clients = ConcurrentHashMap.newKeySet();
  private final Set<String> unknownRole = ConcurrentHashMap.newKeySet();
  private final Set<String> leaving = ConcurrentHashMap.newKeySet();
  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> mergeListeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> minorityListeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> settlingListeners = new CopyOnWriteArrayList<>();
  private final SettleGate gate;
  private volatile String coordinator;
  private volatile java.util.function.Predicate<String> storeHolds = member -> true;
  private volatile Set<String> members = Set.of();
  private volatile Placement placement = new Placement(List.of());
  private final DataPlacement dataPlacement;
  private volatile boolean minority;

  /**
   * {@code dataCache} is the distributed cache whose partition state is the cluster's (a minority
   * of it serves nothing) and whose consistent hash places the processes next to their data.
   */
  public Membership(Vertx vertx, EmbeddedCacheManager cacheManager, ClusterManager clusterManager, boolean selfServes,
      String dataCache) {
    this.vertx = vertx;
    this.cacheManager = cacheManager;
    this.clusterManager = clusterManager;
    this.self = clusterManager.getNodeId();
    this.selfServes = selfServes;
    this.store = cacheManager.getCache(dataCache).getAdvancedCache();
    this.dataPlacement = new DataPlacement(store);
    this.gate = new SettleGate(vertx, this::holders, () -> self.equals(coordinator), () -> publish("settled", self));
  }

  /** Starts listening; a listener added after start misses the node's own join view, so read it too. */
  public Membership start() {
    gate.open();
    vertx.eventBus().<String>consumer(Addresses.CLUSTER_LEAVING, message -> markLeaving(message.body()));
    cacheManager.addListener(this);
    store.addListener(new PartitionListener());
    minority = store.getAvailability() == AvailabilityMode.DEGRADED_MODE;
    onView(names(cacheManager.getMembers()));
    settleIfMergedWhileStarting();
    return this;
  }

  /**
   * A node whose first view had only itself (its discovery found nobody in time) merges into the
   * cluster later, and that merge can come while the node is still starting, before this listener
   * is added: nobody would then settle it or announce this node again. The JGroups view tells: a
   * node that joins normally gets a plain view, so a merge view here is a merge this node missed.
   */
  private void settleIfMergedWhileStarting() {
    if (cacheManager.getTransport() instanceof JGroupsTransport transport
        && transport.getChannel().getView() instanceof MergeView view) {
      log.warn("the cluster view merged while this node was starting ({})", view);
      // the merge is already past: the store's events after it may all have happened before anyone
      // listened, so the store is judged by its state now (NO_PAST_EVENT), not by events since
      beginSettling(true, "merge while starting", (int) view.getViewId().getId(), NO_PAST_EVENT);
      mergeListeners.forEach(l -> vertx.runOnContext(v -> l.run()));
    }
  }

  public void stop() {
    cacheManager.removeListener(this);
  }

  public void onChange(Consumer<Change> listener) {
    listeners.add(listener);
  }

  /** The JGroups coordinator as of the last view (the oldest member), or null before the first view. */
  public String coordinator() {
    return coordinator;
  }

  public String self() {
    return self;
  }

  /** The node that should run the process of this key, or null when no server is live. */
  public String owner(String key) {
    return placement.owner(key);
  }

  public Placement placement() {
    return placement;
  }

  public Set<String> members() {
    return members;
  }

  /** Whether this node sees only a minority of the last stable membership (the store says so). */
  public boolean isMinority() {
    return minority;
  }

  /**
   * This node is about to hand off and leave: from now on every node places nothing on it. The
   * announcement goes to all members; it is also applied here at once.
   */
  public void leave() {
    markLeaving(self);
    vertx.eventBus().publish(Addresses.CLUSTER_LEAVING, self);
    publish("leaving", self);
  }

  public boolean isLeaving(String nodeId) {
    return leaving.contains(nodeId);
  }

  private synchronized void markLeaving(String nodeId) {
    if (members.contains(nodeId) && leaving.add(nodeId)) {
      recompute();
    }
  }

  /** Polls the cluster's subscriptions until this node no longer consumes the address (bounded). */
  public Future<Void> awaitUnsubscribed(String address) {
    long deadline = System.nanoTime() + UNSUBSCRIBE_BOUND.toNanos();
    Promise<Void> gone = Promise.promise();
    Runnable[] check = new Runnable[1];
    check[0] = () -> {
      Promise<List<RegistrationInfo>> registrations = Promise.promise();
      clusterManager.getRegistrations(address, registrations);
      registrations.future().onComplete(ar -> {
        boolean stillHere = ar.succeeded() && ar.result().stream().anyMatch(r -> r.nodeId().equals(self));
        if (!stillHere || System.nanoTime() > deadline) {
          gone.tryComplete();
        } else {
          vertx.setTimer(20, t -> check[0].run());
        }
      });
    };
    check[0].run();
    return gone.future();
  }

  /**
   * A new coordinator recovers the caches' state from the members and Infinispan then runs
   * conflict resolution, as after a merge: the cluster settles before it serves again.
   *
   * <p>Not when the coordinator left gracefully: it announced it, handed its lists off and
   * stopped its caches, which left the caches' topology (with a rebalance) before the node left
   * the view. Nothing is left to recover or reconcile, and no topology is installed after the view
   * change, which the settle check would wait for in vain (found by the membership benchmark: 60 s
   * of "reconciling" after a SIGTERM of the first node, every list refused meanwhile). A node that
   * announced leaving but died before its caches left is not graceful: that case still settles.
   */
  @ViewChanged
  public void viewChanged(ViewChangedEvent event) {
    Set<String> view = names(event.getNewMembers());
    String previous = coordinator;
    boolean leftGracefully = previous != null && leaving.contains(previous) && !storeHolds.test(previous);
    onView(view);
    if (previous != null && view.size() > 1 && !previous.equals(coordinator)) {
      if (leftGracefully) {
        log.info("the coordinator {} left gracefully after its store had left: nothing to reconcile", previous);
      } else {
        beginSettling(false, "the coordinator " + previous + " is gone", event.getViewId(), System.nanoTime());
      }
    }
  }

  /** Infinispan does not report merges as view changes; after one, listeners may need to re-announce. */
  @Merged
  public void merged(ViewChangedEvent event) {
    onView(names(event.getNewMembers()));
    beginSettling(true, "merge", event.getViewId(), System.nanoTime());
    mergeListeners.forEach(l -> vertx.runOnContext(v -> l.run()));
  }

  /** For an event this node learned of only after it happened: no store event need follow it. */
  static final long NO_PAST_EVENT = Long.MIN_VALUE;

  /** How the store tells that it has settled since a given time (see {@link #settleWith}). */
  @FunctionalInterface
  public interface StoreSettled {
    /**
     * @param members the members that hold data
     * @param sinceNanos when the event happened; {@link #NO_PAST_EVENT} when it is not known (then
     *     only the store's present state counts)
     * @param afterMerge whether it was a merge (copies that differ meet) or a coordinator change
     */
    boolean test(Set<String> members, long sinceNanos, boolean afterMerge);
  }

  /**
   * @param storeSettled whether the store has settled since an event
   * @param storeHolds whether a member is still in the store's topology (a member that left
   *     gracefully is not, by the time it leaves the view)
   */
  public void settleWith(StoreSettled storeSettled, java.util.function.Predicate<String> storeHolds) {
    gate.settleWith(storeSettled);
    this.storeHolds = storeHolds;
  }

  /** Reconciles the store's copies once it has settled after an event (see {@link Reconciliation}). */
  @FunctionalInterface
  public interface Reconciler {
    /** True once the copies are reconciled for this view; false while another member still works on it. */
    Future<Boolean> reconcile(int viewId, boolean coordinator);
  }

  public void reconcileWith(Reconciler reconciler) {
    gate.reconcileWith(reconciler);
  }

  /** Why the node is settling, since when, and how its reconciliation went so far; null when settled. */
  public record SettleState(String why, long sinceMillis, int failedAttempts, String lastError) {
    public JsonObject toJson() {
      return new JsonObject().put("why", why).put("forMs", System.currentTimeMillis() - sinceMillis)
          .put("failedAttempts", failedAttempts).put("lastError", lastError);
    }
  }

  public SettleState settleState() {
    return gate.state();
  }

  /**
   * Called when the cluster begins to settle: the store is reconciling copies, and a process's
   * memory may not survive that; the processes here are stopped and start again from the store.
   */
  public void onSettling(Runnable listener) {
    settlingListeners.add(listener);
  }

  /**
   * Whether the cluster is settling after a merge: the two sides' copies are being reconciled,
   * and a read could still see the side that lost. No list is served or started meanwhile.
   */
  public boolean isSettling() {
    return gate.isSettling();
  }

  /** Completes when the cluster is not (or no longer) settling after a merge. */
  public Future<Void> settled() {
    return gate.settled();
  }

  /**
   * Serves nothing until the store has settled and its copies are reconciled, however long that
   * takes: first Infinispan's own conflict resolution and rebalance finish, then the coordinator
   * resolves conflicts once more (Infinispan goes on after a failed or cancelled resolution, with
   * the copies unreconciled) and tells the others; a failed attempt is retried. A newer event
   * starts the wait again ({@link SettleGate}).
   */
  private synchronized void beginSettling(boolean afterMerge, String why, int viewId, long eventNanos) {
    gate.close(afterMerge, why, viewId, eventNanos);
    settlingListeners.forEach(l -> vertx.runOnContext(v -> l.run()));
  }

  /** The members that hold data: every member but the clients. */
  private Set<String> holders() {
    Set<String> holders = new LinkedHashSet<>(members);
    holders.removeAll(clients);
    return holders;
  }

  /** Called when this node finds itself on the minority side of a partition. */
  public void onMinority(Runnable listener) {
    minorityListeners.add(listener);
  }

  /** Called after a merge (a partition healed, a paused node came back). */
  public void onMerge(Runnable listener) {
    mergeListeners.add(listener);
  }

  private synchronized void onView(Set<String> current) {
    Set<String> left = new LinkedHashSet<>(members);
    left.removeAll(current);
    Set<String> joined = new LinkedHashSet<>(current);
    joined.removeAll(members);
    members = Set.copyOf(current);
    coordinator = current.isEmpty() ? null : current.iterator().next();
    left.forEach(id -> {
      clients.remove(id);
      unknownRole.remove(id);
      leaving.remove(id);
    });
    for (String id : joined) {
      if (id.equals(self)) {
        if (!selfServes) {
          clients.add(id);
        }
      } else {
        unknownRole.add(id);
        lookUpRole(id, 1);
      }
    }
    recompute(left);
    left.forEach(id -> publish("left", id));
    joined.forEach(id -> publish("joined", id));
    if (!left.isEmpty() || !joined.isEmpty()) {
      log.info("membership: members {} left {} joined {}", members, left, joined);
    }
  }

  /** Until its role is known a new member hosts nothing; a client never does. */
  private void lookUpRole(String id, int attempt) {
    Promise<NodeInfo> info = Promise.promise();
    clusterManager.getNodeInfo(id, info);
    info.future().onComplete(ar -> {
      if (!members.contains(id)) {
        return;
      }
      JsonObject metadata = ar.succeeded() && ar.result() != null ? ar.result().metadata() : null;
      if (metadata == null && attempt < ROLE_LOOKUPS) {
        vertx.setTimer(ROLE_LOOKUP_INTERVAL_MS, t -> lookUpRole(id, attempt + 1));
        return;
      }
      if (metadata != null && "client".equals(metadata.getString("role"))) {
        clients.add(id);
      } else if (metadata == null) {
        log.warn("member {} published no node info in {} s; placing processes on it", id, ROLE_LOOKUPS / 10);
      }
      if (unknownRole.remove(id)) {
        synchronized (this) {
          recompute();
        }
      }
    });
  }

  /** The servers that may own processes now; listeners hear which were removed and added. */
  private void recompute() {
    recompute(Set.of());
  }

  private void recompute(Set<String> lost) {
    List<String> servers = new ArrayList<>();
    for (String id : members) {
      if (!clients.contains(id) && !unknownRole.contains(id) && !leaving.contains(id)) {
        servers.add(id);
      }
    }
    Set<String> removed = new LinkedHashSet<>(placement.members());
    servers.forEach(removed::remove);
    Set<String> added = new LinkedHashSet<>(servers);
    placement.members().forEach(added::remove);
    placement = dataPlacement.over(servers);
    if (!removed.isEmpty() || !added.isEmpty() || !lost.isEmpty()) {
      Change change = new Change(Set.copyOf(lost), Set.copyOf(removed), Set.copyOf(added));
      log.info("placement: servers {} (removed {}, added {})", servers, removed, added);
      listeners.forEach(l -> vertx.runOnContext(v -> l.accept(change)));
    }
  }

  private void publish(String type, String node) {
    vertx.eventBus().publish(Addresses.CLUSTER_EVENTS, new JsonObject()
        .put("type", type)
        .put("node", node)
        .put("members", new JsonArray(new ArrayList<>(members)))
        .put("servers", new JsonArray(placement.members()))
        .put("partition", minority ? "minority" : "majority")
        .put("at", System.currentTimeMillis()));
  }

  private static Set<String> names(List<?> addresses) {
    Set<String> names = new LinkedHashSet<>();
    addresses.forEach(a -> names.add(a.toString()));
    return names;
  }

  /** The store's partition handling is the judge of majority and minority (DENY_READ_WRITES). */
  @Listener
  public final class PartitionListener {
    @PartitionStatusChanged
    public void changed(PartitionStatusChangedEvent<?, ?> event) {
      if (event.isPre()) {
        return;
      }
      boolean nowMinority = event.getAvailabilityMode() == AvailabilityMode.DEGRADED_MODE;
      if (nowMinority != minority) {
        minority = nowMinority;
        log.warn("partition: this node is now on the {} side", minority ? "minority" : "majority");
        publish("partition", self);
        if (minority) {
          minorityListeners.forEach(l -> vertx.runOnContext(v -> l.run()));
        }
      }
    }
  }
}
