package io.todocluster.cluster;

import io.todocluster.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed processes placed over the cluster (Horde.DynamicSupervisor's part here). A process runs
 * on the owner of its key under that node's own DynamicSupervisor; this class moves processes
 * when the owners change:
 * <ul>
 *   <li>failover: when members are lost, each survivor at once starts the lost members'
 *       registered processes that now map to it, a bounded number at a time;</li>
 *   <li>rebalance on join: processes whose key now maps to a new member are stopped here and
 *       started there, a bounded number at a time;</li>
 *   <li>handoff on leave: all processes are stopped here, then started by their new owners.</li>
 * </ul>
 * A process always loads its state from the store, and every write is fenced by the list's head
 * version, so a process briefly running twice during a move can never lose a write.
 */
public final class ClusterSupervisor {

  private static final Logger log = LoggerFactory.getLogger(ClusterSupervisor.class);

  /** The type of the event on cluster.events that reports one failover, rebalance or handoff, once done. */
  public static final String PROCESSES_MOVED = "processes-moved";

  /** Processes started or stopped at a time: fast failover without a thundering herd on the store. */
  static final int CONCURRENCY = 32;

  /** Keys handed to one new owner per message. */
  private static final int BATCH = 256;

  /** A new owner acknowledges a batch on receipt; one that does not in this time leaves those to start on request. */
  private static final DeliveryOptions ADOPT = new DeliveryOptions().setSendTimeout(5_000);

  /** A joining node registers its adoptions within a second or two of publishing its role. */
  private static final long ADOPT_BOUND_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
  private static final long ADOPT_RETRY_MS = 100;

  private final Vertx vertx;
  private final Membership membership;
  private final ProcessRegistry registry;
  private final Function<String, Future<Void>> startLocal;
  private final Function<String, Future<Void>> stopLocal;
  private final Supplier<Collection<String>> localKeys;
  /** Completed once this node's lists' supervisor runs: adoptions and failovers wait for it. */
  private final Promise<Void> processesCanStart = Promise.promise();
  private MessageConsumer<JsonObject> adoptions;
  private Context context;
  /** Adopted keys not yet being started, and the state of the one run that starts them (on {@link #context}). */
  private List<String> pendingAdoptions = new ArrayList<>();
  private boolean adopting;
  private long adoptingSince;
  private int adoptedInRun;
  private MessageConsumer<String> releases;

  public ClusterSupervisor(Vertx vertx, Membership membership, ProcessRegistry registry,
      Function<String, Future<Void>> startLocal, Function<String, Future<Void>> stopLocal,
      Supplier<Collection<String>> localKeys) {
    this.vertx = vertx;
    this.membership = membership;
    this.registry = registry;
    this.startLocal = startLocal;
    this.stopLocal = stopLocal;
    this.localKeys = localKeys;
  }

  public Future<Void> start() {
    membership.onChange(this::onChange);
    membership.onMinority(() -> stopAllHere("minority"));
    membership.onSettling(() -> stopAllHere("settling"));
    context = vertx.getOrCreateContext();
    adoptions = vertx.eventBus().consumer(Addresses.nodeAdopt(membership.self()), message -> {
      List<String> keys = message.body().getJsonArray("keys").stream().map(String.class::cast).toList();
      // taken at once, started at this node's pace: the old owner has stopped them already and
      // need not wait (a leaving node has a shutdown bound); one queue, so that many batches
      // at once do not become thousands of concurrent starts
      message.reply(new JsonObject().put("accepted", keys.size()));
      queueAdoptions(keys);
    });
    releases = vertx.eventBus().consumer(Addresses.nodeRelease(membership.self()),
        message -> stopLocal.apply(message.body()).onComplete(ar -> message.reply(null)));
    return Future.all(adoptions.completion(), releases.completion()).mapEmpty();
  }

  /**
   * This node can start processes from now on. The others place lists here as soon as they know
   * its role, which it publishes when it joins, before its supervision tree runs.
   */
  public void processesCanStart() {
    processesCanStart.tryComplete();
  }

  /**
   * Stops every process here and has its new owner start it (the new one starts only after the
   * old one stopped). This node must already be marked leaving, so that it owns nothing.
   */
  public Future<Void> handOffAll() {
    List<String> keys = new ArrayList<>(localKeys.get());
    long started = System.nanoTime();
    return moveAway(keys).onComplete(ar -> {
      long ms = (System.nanoTime() - started) / 1_000_000;
      log.info("handoff: {} processes handed off in {} ms", keys.size(), ms);
      publishMoved("handoff", keys.size(), ms);
    });
  }

  public Future<Void> stop() {
    return adoptions == null ? Future.succeededFuture()
        : Future.join(adoptions.unregister(), releases.unregister()).mapEmpty();
  }

  /**
   * On the minority side the store refuses every read and write, and the majority goes on
   * writing: the processes here would come back from the partition with stale memory. While the
   * store reconciles its copies (after a merge or a coordinator change) a process's memory may
   * not match what it keeps. Either way the processes are stopped; each list starts again where
   * its owner is, from the store, once the store can be trusted.
   */
  private void stopAllHere(String why) {
    List<String> keys = new ArrayList<>(localKeys.get());
    forEachBounded(keys, stopLocal).onComplete(ar ->
        log.warn("{}: stopped {} processes; they start again from the store", why, keys.size()));
  }

  private void onChange(Membership.Change change) {
    if (!change.lost().isEmpty()) {
      failover(change.lost());
    }
    if (!change.added().isEmpty()) {
      rebalance();
    }
  }

  /** A member that left while leaving gracefully has unregistered its processes: nothing to do. */
  private void failover(java.util.Set<String> lost) {
    long since = System.nanoTime();
    registry.keysOn(lost)
        .map(keys -> {
          List<String> mine = keys.stream().filter(k -> membership.self().equals(membership.owner(k))).toList();
          log.info("failover: {} of the {} processes registered on {} are now placed here", mine.size(), keys.size(), lost);
          return mine;
        })
        .compose(mine -> startAll(mine, "failover").map(mine.size()))
        .onSuccess(count -> {
          if (count > 0) {
            long ms = (System.nanoTime() - since) / 1_000_000;
            log.info("failover: {} processes of {} restarted here in {} ms", count, lost, ms);
            publishMoved("failover", count, ms);
          }
        })
        .onFailure(error -> log.warn("failover of {} incomplete; the rest start on request", lost, error));
  }

  private void rebalance() {
    List<String> moving = localKeys.get().stream()
        .filter(key -> !membership.self().equals(membership.owner(key)))
        .toList();
    if (!moving.isEmpty()) {
      long started = System.nanoTime();
      moveAway(moving).onComplete(ar -> {
        long ms = (System.nanoTime() - started) / 1_000_000;
        log.info("rebalance: {} processes handed to their new owners in {} ms", moving.size(), ms);
        publishMoved("rebalance", moving.size(), ms);
      });
    }
  }

  /** One event per move on cluster.events: failover (restarted here), rebalance or handoff (moved away). */
  private void publishMoved(String reason, int count, long ms) {
    vertx.eventBus().publish(Addresses.CLUSTER_EVENTS, new JsonObject()
        .put("type", PROCESSES_MOVED)
        .put("reason", reason)
        .put("node", membership.self())
        .put("processes", count)
        .put("ms", ms)
        .put("at", System.currentTimeMillis()));
  }

  private Future<Void> moveAway(List<String> keys) {
    return forEachBounded(keys, stopLocal).compose(v -> {
      Map<String, List<String>> byOwner = new HashMap<>();
      for (String key : keys) {
        String owner = membership.owner(key);
        if (owner != null && !owner.equals(membership.self())) {
          byOwner.computeIfAbsent(owner, o -> new ArrayList<>()).add(key);
        }
      }
      List<Future<?>> handed = new ArrayList<>();
      byOwner.forEach((owner, owned) -> {
        for (int i = 0; i < owned.size(); i += BATCH) {
          JsonArray batch = new JsonArray(owned.subList(i, Math.min(owned.size(), i + BATCH)));
          handed.add(adopt(owner, batch, System.nanoTime() + ADOPT_BOUND_NANOS));
        }
      });
      return Future.join(handed).<Void>mapEmpty().otherwiseEmpty();
    });
  }

  /**
   * Hands keys to their new owner. A member that just joined may not take adoptions yet (its
   * consumer is not registered): it is asked again, within a bound; what it never takes starts
   * on its first request.
   */
  private Future<Object> adopt(String owner, JsonArray keys, long deadline) {
    return vertx.eventBus().request(Addresses.nodeAdopt(owner), new JsonObject().put("keys", keys), ADOPT)
        .<Object>map(reply -> reply.body())
        .recover(error -> {
          boolean notYet = error instanceof io.vertx.core.eventbus.ReplyException reply
              && reply.failureType() == io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS;
          if (!notYet || System.nanoTime() > deadline || !membership.members().contains(owner)) {
            return Future.failedFuture(error);
          }
          Promise<Object> again = Promise.promise();
          vertx.setTimer(ADOPT_RETRY_MS, t -> adopt(owner, keys, deadline).onComplete(again));
          return again.future();
        });
  }

  private void queueAdoptions(List<String> keys) {
    pendingAdoptions.addAll(keys);
    if (!adopting) {
      adopting = true;
      adoptingSince = System.nanoTime();
      adoptedInRun = 0;
      drainAdoptions();
    }
  }

  private void drainAdoptions() {
    if (pendingAdoptions.isEmpty()) {
      adopting = false;
      log.info("adoptions: {} processes started here in {} ms", adoptedInRun, (System.nanoTime() - adoptingSince) / 1_000_000);
      return;
    }
    List<String> next = pendingAdoptions;
    pendingAdoptions = new ArrayList<>();
    adoptedInRun += next.size();
    startAll(next, "adopted").onComplete(ar -> context.runOnContext(v -> drainAdoptions()));
  }

  private Future<Void> startAll(List<String> keys, String why) {
    return processesCanStart.future().compose(ready -> membership.settled()).compose(settled -> forEachBounded(keys, key -> startLocal.apply(key).onFailure(error ->
        log.debug("{}: process {} not started now ({}); it starts on request", why, key, error.getMessage()))));
  }

  /** Runs the action for every key, at most {@link #CONCURRENCY} at a time; failures do not stop the rest. */
  private Future<Void> forEachBounded(List<String> keys, Function<String, Future<Void>> action) {
    if (keys.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    Iterator<String> next = keys.iterator();
    int[] running = {0};
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      while (running[0] < CONCURRENCY && next.hasNext()) {
        running[0]++;
        action.apply(next.next()).onComplete(ar -> vertx.runOnContext(v -> {
          running[0]--;
          if (!next.hasNext() && running[0] == 0) {
            done.tryComplete();
          } else {
            pump[0].run();
          }
        }));
      }
    };
    vertx.runOnContext(v -> pump[0].run());
    return done.future();
  }
}
