package io.todocluster.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;
import org.infinispan.AdvancedCache;
import org.infinispan.context.Flag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate a node passes once after it starts (DESIGN decision 9): if the cluster it joins already
 * serves, its own stored copies are stale or redundant and are dropped; if the cluster is forming
 * after a restart of every node, each node first offers its copies (merged newest-first into the
 * store) and nothing is served until the members present hold a majority of the newest membership
 * any of them remembers ({@link FormationRule}). From then on it remembers, in its data dir, each
 * membership it serves in once the store has rebalanced to it.
 *
 * <p>The members agree through a replicated cache that lives only in memory: {@code offer/<member>}
 * says a member offered its copies and what it remembers, {@code formed} that the cluster serves.
 * A whole-cluster restart empties it, which is exactly when a new formation is needed.
 * Everything here runs on one Vert.x context, on a tick, as the cluster's state changes.
 */
public final class Formation {

  private static final Logger log = LoggerFactory.getLogger(Formation.class);

  private static final long TICK_MS = 200;
  /** How long a leaving node waits for the store to settle on the members it leaves behind. */
  private static final long LEAVING_BOUND_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
  static final String FORMED = "formed";
  static final String OFFER = "offer/";
  /** In a member's published node info: it takes part in formation (a node of an older version does not). */
  public static final String METADATA = "formation";

  /** A node's own stored copies, set aside at start: merged into the store, or dropped. */
  public interface LocalCopies {
    Future<Long> offer();

    Future<Void> discard();
  }

  private final Vertx vertx;
  private final AdvancedCache<String, String> control;
  private final Membership membership;
  private final Path dataDir;
  private final LocalCopies copies;
  private final ToLongFunction<Set<String>> stableTopology;
  private final BooleanSupplier serving;
  private final java.util.function.Function<String, Future<JsonObject>> nodeInfo;
  private final String self;
  private final String name;
  private final Optional<LastMembership> remembered;
  private Context context;
  private long timer = -1;
  private boolean busy;
  private boolean offered;
  private volatile boolean formed;
  private final io.vertx.core.Promise<Void> servesOnce = io.vertx.core.Promise.promise();
  private volatile long formation;
  private volatile String waitingFor = "starting";
  private volatile boolean holdsShare;
  private LastMembership saved;

  /**
   * @param stableTopology the store's topology id when it has rebalanced to exactly these members
   *     (member ids), else a negative number
   * @param serving whether this node serves now (majority side, settled, not leaving)
   * @param nodeInfo a member's published node info (null while unknown)
   */
  public Formation(Vertx vertx, AdvancedCache<String, String> control, Membership membership, Path dataDir,
      LocalCopies copies, ToLongFunction<Set<String>> stableTopology, BooleanSupplier serving,
      java.util.function.Function<String, Future<JsonObject>> nodeInfo) {
    this.nodeInfo = nodeInfo;
    this.vertx = vertx;
    this.control = control;
    this.membership = membership;
    this.dataDir = dataDir;
    this.copies = copies;
    this.stableTopology = stableTopology;
    this.serving = serving;
    this.self = membership.self();
    this.name = ClusterManagerFactory.nodeName(self);
    this.remembered = LastMembership.load(dataDir);
    this.saved = remembered.orElse(null);
  }

  public Formation start() {
    context = vertx.getOrCreateContext();
    log.info("node {} remembers {}", name, remembered.map(m -> "serving with " + m.members()
        + " (formation " + m.formation() + ", topology " + m.topology() + ")").orElse("no membership (it never served)"));
    context.runOnContext(v -> timer = vertx.setPeriodic(0, TICK_MS, t -> tick()));
    return this;
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Completes once the cluster has formed and this node holds its share (see {@link #holdsShare}). */
  public Future<Void> serves() {
    return servesOnce.future();
  }

  /** Whether the cluster this node is in has formed: its copies are in the store, or dropped as stale. */
  public boolean isFormed() {
    return formed;
  }

  /**
   * Whether the store has rebalanced, since this node started, to a topology that includes it:
   * only then does it hold its share, and a request to a list nobody used yet is answered without
   * waiting for a state transfer. What /ready waits for after a start, besides formation.
   */
  public boolean holdsShare() {
    return holdsShare;
  }

  /** Why this node does not serve yet, or null once formed. */
  public String waitingFor() {
    return formed ? null : waitingFor;
  }

  private void tick() {
    if (busy) {
      return;
    }
    busy = true;
    Future<Void> step = formed ? remember(false).mapEmpty() : form();
    step.onComplete(ar -> {
      busy = false;
      if (ar.failed()) {
        if (!formed) {
          waitingFor = (offered ? "the members could not agree yet: " : "offering this node's stored copies failed: ")
              + ar.cause().getMessage();
        }
        log.warn("node {}: a formation step failed, trying again", name, ar.cause());
      }
    });
  }

  private Future<Void> form() {
    // until this member has received the control data, "nobody has formed" may only mean "not yet
    // received": it would offer stale copies to a cluster that serves (safe, newest wins, but a
    // full merge for nothing)
    var transfer = control.getComponentRegistry().getComponent(org.infinispan.statetransfer.StateTransferManager.class);
    if (!transfer.isJoinComplete() || transfer.isStateTransferInProgress()) {
      waitingFor = "joining the cluster's control data";
      return Future.succeededFuture();
    }
    String formedValue = local().get(FORMED);
    if (formedValue != null) {
      formation = new JsonObject(formedValue).getLong("formation");
      if (!offered) {
        log.info("node {} joined a cluster that serves (formation {}): its own stored copies are dropped, the "
            + "store's rebalance gives it the current ones", name, formation);
      }
      return formed();
    }
    if (!offered) {
      waitingFor = "offering this node's stored copies";
      return copies.offer().compose(count -> put(OFFER + self, new JsonObject().put("name", name)
              .put("memory", remembered.map(LastMembership::toJson).orElse(null)).encode())
          .onSuccess(v -> {
            offered = true;
            log.info("node {} offered its stored copies ({} keys merged newest-first)", name, count);
          }));
    }
    Map<String, Optional<LastMembership>> offers = new LinkedHashMap<>();
    Set<String> present = new TreeSet<>();
    for (String member : membership.members()) {
      present.add(ClusterManagerFactory.nodeName(member));
      String offer = local().get(OFFER + member);
      if (offer != null) {
        JsonObject json = new JsonObject(offer);
        JsonObject memory = json.getJsonObject("memory");
        offers.put(json.getString("name"), Optional.ofNullable(memory).map(LastMembership::fromJson));
      }
    }
    FormationRule.Decision decision = FormationRule.decide(present, offers);
    if (!decision.form() && offers.size() < present.size()) {
      return olderVersionServes().compose(older -> {
        if (older) {
          log.info("node {} joined a cluster of an older version, which serves without forming: it serves too", name);
          return formed();
        }
        noteWaiting(decision);
        return Future.succeededFuture();
      });
    }
    if (!decision.form()) {
      noteWaiting(decision);
      return Future.succeededFuture();
    }
    String value = new JsonObject().put("formation", decision.formation()).put("members", List.copyOf(present)).encode();
    return Future.fromCompletionStage(control.putIfAbsentAsync(FORMED, value), context).compose(previous -> {
      formation = new JsonObject(previous == null ? value : previous).getLong("formation");
      log.info("node {}: the cluster formed (formation {}) with {}", name, formation, present);
      return formed();
    });
  }

  private void noteWaiting(FormationRule.Decision decision) {
    if (!decision.waitingFor().equals(waitingFor)) {
      log.warn("node {} serves nothing yet: {}", name, decision.waitingFor());
    }
    waitingFor = decision.waitingFor();
  }

  /**
   * Whether a member runs a version from before formation existed: it served as soon as it
   * started, so the cluster serves, and during a rolling upgrade this node must not wait for an
   * offer that member will never make.
   */
  private Future<Boolean> olderVersionServes() {
    List<Future<JsonObject>> infos = membership.members().stream()
        .filter(member -> local().get(OFFER + member) == null).map(nodeInfo).toList();
    return Future.all(infos).map(all -> infos.stream().map(Future::result)
        .anyMatch(info -> info != null && !info.containsKey(METADATA)));
  }

  /**
   * The copies set aside at start are dropped only now: offered ones are in the store's copies on
   * their owners, and if every node died before this, they are offered again at the next start.
   */
  private Future<Void> formed() {
    return copies.discard().onSuccess(v -> formed = true);
  }

  /**
   * Remembers the membership this node is in now rather than at the next tick; call it as the
   * node begins to leave, and let it finish before Vert.x closes. The tick remembers a new membership only once
   * the store has rebalanced to it and the node serves again, which can take longer than an
   * operator takes to stop the next node: that node would leave remembering the membership from
   * before the last change, and after a whole restart a majority of that older membership could
   * form without the members that hold the newest writes.
   */
  public Future<Void> rememberBeforeLeaving() {
    if (context == null) {
      return Future.succeededFuture(); // never started: it served in nothing
    }
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    context.runOnContext(v -> rememberWhenStable(System.nanoTime() + LEAVING_BOUND_NANOS, done));
    return done.future();
  }

  /** Right after a member left, the store may take a moment to settle on the new members. */
  private void rememberWhenStable(long deadline, io.vertx.core.Promise<Void> done) {
    remember(true).onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
      } else if (ar.result() || System.nanoTime() > deadline) {
        if (!ar.result()) {
          log.warn("node {} stops remembering {}: the store did not settle on the members {} in time", name,
              saved == null ? "nothing" : saved.members(), membership.members());
        }
        done.complete();
      } else {
        vertx.setTimer(TICK_MS, t -> rememberWhenStable(deadline, done));
      }
    });
  }

  /**
   * Once the store has rebalanced to the current members, that is the membership to remember.
   * The tick waits until this node serves again as well; a node that is leaving does not: right
   * after a member left, it may still be settling while the others already take writes in the
   * new membership. A minority side is never remembered: its store is not available.
   */
  private Future<Boolean> remember(boolean leaving) {
    Set<String> members = membership.members();
    if (!formed || members.isEmpty() || !(leaving || serving.getAsBoolean())) {
      return Future.succeededFuture(!formed || members.isEmpty()); // nothing to remember, or not yet
    }
    long topology = stableTopology.applyAsLong(members);
    if (topology < 0) {
      return Future.succeededFuture(false);
    }
    if (!leaving) {
      holdsShare = true;
      servesOnce.tryComplete();
    }
    List<String> names = members.stream().map(ClusterManagerFactory::nodeName).toList();
    LastMembership now = new LastMembership(formation, topology, names);
    if (saved != null && saved.formation() == now.formation() && saved.members().equals(now.members())) {
      return Future.succeededFuture(true);
    }
    // ordered: the tick and rememberBeforeLeaving may both save, and must not share the file at once
    return vertx.executeBlocking(() -> {
      now.save(dataDir);
      return null;
    }, true).onSuccess(v -> {
      saved = now;
      log.info("node {} now remembers serving with {} (formation {}, topology {})", name, now.members(),
          now.formation(), now.topology());
    }).map(true);
  }

  private Future<Void> put(String key, String value) {
    return Future.fromCompletionStage(control.putAsync(key, value), context).mapEmpty();
  }

  /** Reads of the replicated control data are local: every member holds all of it. */
  private AdvancedCache<String, String> local() {
    return control.withFlags(Flag.CACHE_MODE_LOCAL);
  }
}
