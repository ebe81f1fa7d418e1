package io.todocluster.node;

import io.todocluster.Addresses;
import io.todocluster.bridge.TcpBridge;
import io.todocluster.cluster.ClusterInfo;
import io.todocluster.cluster.ClusterManagerFactory;
import io.todocluster.cluster.ClusterSupervisor;
import io.todocluster.cluster.Formation;
import io.todocluster.cluster.GracefulLeave;
import io.todocluster.cluster.Reconciliation;
import io.todocluster.cluster.Membership;
import io.todocluster.cluster.ProcessRegistry;
import io.todocluster.cluster.RejoiningClusterManager;
import io.todocluster.cluster.StuckTransferWatch;
import io.todocluster.cluster.NodeEndpoint;
import io.todocluster.http.Dashboard;
import io.todocluster.http.HttpApi;
import io.todocluster.http.OperationsRoutes;
import io.todocluster.metrics.NodeMetrics;
import io.todocluster.metrics.ProcessMetrics;
import io.todocluster.security.BusTls;
import io.todocluster.security.ClusterSecret;
import io.todocluster.store.StoreRecovery;
import io.todocluster.store.StoreCaches;
import io.todocluster.store.TodoStore;
import io.todocluster.supervision.ChildSpec;
import io.todocluster.supervision.ExitReason;
import io.todocluster.supervision.RestartIntensity;
import io.todocluster.supervision.Strategy;
import io.todocluster.supervision.Supervisor;
import io.todocluster.todo.CommandEndpoint;
import io.todocluster.todo.TodoCache;
import io.todocluster.todo.TodoService;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: a clustered Vert.x instance on our Infinispan cluster manager, the store, and
 * the root supervisor with its children, started in this order and stopped in reverse:
 * <pre>
 * root (one_for_one)
 * ├── lists          DynamicSupervisor of the list processes (servers only)
 * ├── commands       todo.commands on the event bus (servers only)
 * ├── bridge         the TCP event bus bridge (when --bridge-port is not 0)
 * ├── node-endpoint  answers questions about this node
 * └── http           the HTTP routes
 * </pre>
 */
public final class Node {

  private static final Logger log = LoggerFactory.getLogger(Node.class);
  /** How long a stopping node waits for the store to rebalance without it (within a 40 s stop grace). */
  private static final Duration LEAVE_REBALANCE_BOUND = Duration.ofSeconds(15);

  /** The replicated, memory-only cache through which members agree on formation and reconciliation. */
  static final String CONTROL_CACHE = "todo-control";


  private final NodeConfig config;
  private final Vertx vertx;
  private final EmbeddedCacheManager cacheManager;
  private final AtomicReference<HttpApi> http = new AtomicReference<>();
  private final TodoCache cache;
  private final Membership membership;
  private final ClusterSupervisor clusterSupervisor;
  private final RejoiningClusterManager clusterManager;
  private final FreezeWatchdog watchdog;
  private final NodeMetrics metrics;
  private final TodoStore store;
  private final Formation formation;
  /** Completes when this node must rejoin as a new incarnation: frozen too long, or a state transfer stuck. */
  private final Promise<Rejoin> rejoin = Promise.promise();
  private final StuckTransferWatch transferWatch;
  private Supervisor root;
  private String rootDeployment;
  private volatile boolean serving;
  private int warnedAtServers;
  /** What /ready says when the node does not serve: starting, draining, frozen or abandoned. */
  private volatile String phase = "starting";

  private Node(NodeConfig config, Vertx vertx, EmbeddedCacheManager cacheManager, TodoStore store,
      RejoiningClusterManager clusterManager, NodeMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
    this.store = store;
    store.observe(metrics::storeOperation);
    this.vertx = vertx;
    this.cacheManager = cacheManager;
    this.clusterManager = clusterManager;
    this.watchdog = new FreezeWatchdog(config.name(), this::wokeUpFromFreeze);
    this.transferWatch = new StuckTransferWatch(vertx, cacheManager, TodoStore.CACHES, this::transferStuck);
    this.membership = new Membership(vertx, cacheManager, clusterManager, config.hostsProcesses(), TodoStore.LISTS);
    this.membership.settleWith(store::settled, store::holds);
    var control = cacheManager.<String, String>getCache(CONTROL_CACHE).getAdvancedCache();
    this.membership.reconcileWith(new Reconciliation(vertx, control, store::resolveConflicts));
    this.formation = new Formation(vertx, control, membership, config.dataDir(),
        new StoreRecovery(vertx, cacheManager, store, config.cluster().storeRoot(), StoreRecovery::reader),
        store::stableTopology, () -> isServing() && !membership.isSettling() && !membership.isLeaving(membership.self()),
        member -> {
          io.vertx.core.Promise<io.vertx.core.spi.cluster.NodeInfo> info = io.vertx.core.Promise.promise();
          clusterManager.getNodeInfo(member, info);
          return info.future().map(i -> i == null ? null : i.metadata()).otherwiseEmpty();
        });
    ProcessRegistry registry = new ProcessRegistry(vertx, cacheManager, membership);
    // a list process serves only while the store can be trusted: not before the cluster formed,
    // not while it reconciles copies, not on the minority side, not after this node may have been frozen
    this.cache = new TodoCache(vertx, store, registry, config.idleTimeout(),
        () -> formation.isFormed() && !membership.isSettling() && !membership.isMinority() && !watchdog.mayBeStale());
    this.clusterSupervisor = new ClusterSupervisor(vertx, membership, registry,
        cache::ensureRunning, cache::stop, cache::lists);
  }

  /** Joins the cluster (one member when alone) and starts the node's processes. */
  public static Future<Node> start(NodeConfig config) {
    // joining blocks for JGroups' join timeout and the caches' state transfer: not on an event loop
    // the keys are derived once (slowly, on purpose) and used by both JGroups and the event bus
    CompletableFuture<Optional<ClusterSecret>> derived = CompletableFuture.supplyAsync(
        () -> Optional.ofNullable(config.secret()).map(ClusterSecret::derive));
    // the store's copies from before this start are set aside before its caches start (StoreRecovery)
    CompletableFuture<RejoiningClusterManager> joined = derived.thenApplyAsync(secret -> {
      StoreRecovery.setAside(config.cluster().storeRoot(), TodoStore.CACHES);
      return ClusterManagerFactory.create(config.cluster(), secret.orElse(null),
          caches -> StoreCaches.configure(caches, config.owners(), config.fsync()));
    });
    return Future.fromCompletionStage(joined).compose(clusterManager -> {
      // a wildcard bind is not an address others can use: advertise the cluster host instead
      String httpHost = config.httpHost().equals("0.0.0.0") ? config.clusterHost() : config.httpHost();
      String http = httpHost + ":" + config.httpPort();
      VertxOptions options = new VertxOptions().setEventBusOptions(new EventBusOptions()
          .setHost(config.clusterHost())
          .setPort(config.busPort())
          .setClusterNodeMetadata(ClusterInfo.metadata(config.name(), http, config.role().name().toLowerCase())));
      derived.join().ifPresent(secret -> BusTls.secure(options.getEventBusOptions(), secret, config.name()));
      EmbeddedCacheManager cacheManager = ClusterManagerFactory.cacheManager(clusterManager);
      NodeMetrics metrics = new NodeMetrics();
      return Vertx.builder().with(metrics.instrument(options)).withMetrics(metrics.vertxMetricsFactory())
          .withClusterManager(clusterManager).buildClustered()
          .recover(error -> stopQuietly(cacheManager).transform(v -> Future.failedFuture(error)))
          .compose(vertx -> TodoStore.open(vertx, cacheManager)
              // starting the registry cache blocks: a worker builds the node
              .compose(store -> vertx.executeBlocking(() -> new Node(config, vertx, cacheManager, store, clusterManager, metrics), false))
              .compose(node -> node.deployRoot(clusterManager).map(node))
              .recover(error -> vertx.close()
                  .eventually(() -> stopQuietly(cacheManager))
                  .transform(v -> Future.failedFuture(error))));
    });
  }

  private Future<Void> deployRoot(RejoiningClusterManager clusterManager) {
    watchdog.start();
    transferWatch.start();
    membership.onMerge(this::reannounce); // before start: a merge missed while starting is handled there
    membership.start();
    formation.start();
    membership.onChange(change -> warnIfTooFewCopies());
    TodoService service = new TodoService(vertx, cache, membership, watchdog::mayBeStale, formation::waitingFor);
    ClusterInfo clusterInfo = new ClusterInfo(vertx, clusterManager, membership, config.name());
    String nodeId = clusterManager.getNodeId();
    List<ChildSpec> children = new ArrayList<>();
    if (config.hostsProcesses()) {
      children.add(ChildSpec.supervisor(TodoCache.SUPERVISOR, cache::newSupervisor));
    }
    // a client sends commands too: todo.commands routes them to the owners
    // it answers every command it took before it stops, and a routed command may take the whole deadline
    children.add(ChildSpec.worker("commands", () -> new CommandEndpoint(service, nodeId))
        .withShutdown(TodoService.ROUTING_DEADLINE.plusSeconds(5)));
    if (config.bridgePort() > 0) {
      children.add(ChildSpec.worker("bridge", () -> new TcpBridge(config.clusterHost(), config.bridgePort())));
    }
    NodeIntrospection introspection = new NodeIntrospection(vertx, config.name(), () -> root, cache, config.dashboardCrash());
    children.add(ChildSpec.worker("node-endpoint",
        () -> new NodeEndpoint(nodeId, config.name(), cache::processCount, introspection.questions())));
    Dashboard dashboard = new Dashboard(vertx, clusterInfo, service::whereIs, config.dashboardCrash());
    OperationsRoutes operations = operationsRoutes();
    children.add(ChildSpec.worker("http", () -> {
      HttpApi api = new HttpApi(config.httpHost(), config.httpPort(), service, clusterInfo, operations, dashboard,
          config.rateLimit());
      http.set(api);
      return api;
    }));
    root = new Supervisor("root", Strategy.ONE_FOR_ONE, RestartIntensity.defaults(), children,
        Addresses.SUPERVISOR_EVENTS);
    Future<Void> placed = config.hostsProcesses() ? clusterSupervisor.start() : Future.succeededFuture();
    // counting starts before the tree does, so that the first starts are counted too
    // the store's settle state, for alerts: a cluster settling for minutes serves nothing
    metrics.gauge("todo.cluster.settling", () -> membership.isSettling() ? 1 : 0);
    metrics.gauge("todo.cluster.settle.failed_attempts",
        () -> membership.settleState() == null ? 0 : membership.settleState().failedAttempts());
    metrics.gauge("todo.cluster.formed", () -> formation.isFormed() ? 1 : 0);
    ProcessMetrics processMetrics = new ProcessMetrics(metrics, TodoCache.SUPERVISOR, cache::processCount,
        () -> membership.members().size(), membership::isMinority);
    return placed.compose(v -> vertx.deployVerticle(processMetrics)).compose(v -> vertx.deployVerticle(root)).map(id -> {
      rootDeployment = id;
      serving = true;
      phase = "serving";
      clusterSupervisor.processesCanStart();
      log.info("node {} serves HTTP on {}:{} (node id {})", config.name(), config.httpHost(), httpPort(), nodeId);
      return null;
    });
  }

  /**
   * Stops taking work, stops the supervision tree (children in reverse start order), then leaves
   * the cluster: Vert.x first (it unregisters this node's consumers), then the cache manager.
   */
  public Future<Void> stop() {
    Future<Void> remembered = formation.rememberBeforeLeaving()
        .onFailure(error -> log.warn("stopping: could not remember the membership this node served in", error));
    serving = false;
    phase = "draining";
    watchdog.stop();
    transferWatch.stop();
    log.info("node {} stopping", config.name());
    Future<Void> handedOff = Future.succeededFuture();
    if (config.hostsProcesses() && rootDeployment != null) {
      // 1. nothing is placed here any more; 2. take no new command, answer the ones taken;
      // 3. wait until no node sends this one commands; 4. hand the processes to their new owners
      membership.leave();
      long since = System.nanoTime();
      handedOff = root.terminateChild("commands").otherwiseEmpty()
          .onComplete(ar -> log.info("stopping: took no new command, answered the ones taken, after {} ms", ms(since)))
          .compose(v -> membership.awaitUnsubscribed(Addresses.TODO_COMMANDS))
          .onComplete(ar -> log.info("stopping: no node sends commands here after {} ms", ms(since)))
          .compose(v -> clusterSupervisor.handOffAll())
          .otherwiseEmpty();
    }
    Future<Void> tree = handedOff.compose(v -> rootDeployment != null && vertx.deploymentIDs().contains(rootDeployment)
        ? vertx.undeploy(rootDeployment) : Future.succeededFuture())
        .eventually(clusterSupervisor::stop)
        // remembered beside the handoff, not before it: a slow disk must not hold the commands open
        .eventually(() -> remembered.otherwiseEmpty())
        .onComplete(ar -> {
          formation.stop();
          membership.stop();
        });
    // after vertx.close() no Vert.x thread is left to run callbacks: continue on plain Java futures
    CompletableFuture<Void> stopped = tree.otherwiseEmpty().toCompletionStage().toCompletableFuture()
        .thenCompose(v -> vertx.close().toCompletionStage())
        .exceptionally(error -> {
          log.warn("Vert.x did not close cleanly", error);
          return null;
        })
        .thenRunAsync(this::leaveCluster)
        .thenRun(() -> log.info("node {} stopped", config.name()));
    return Future.fromCompletionStage(stopped);
  }

  /** The graceful leave: the store's caches hand their data over before the node leaves the view. */
  private void leaveCluster() {
    try {
      GracefulLeave.leave(cacheManager, TodoStore.CACHES, LEAVE_REBALANCE_BOUND);
    } catch (RuntimeException error) {
      log.warn("the cache manager did not stop cleanly", error);
    }
  }

  private static long ms(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1_000_000;
  }

  /** See {@link FreezeWatchdog}: stop serving now; whoever runs the node starts a new incarnation. */
  private void wokeUpFromFreeze(Duration gap) {
    serving = false;
    phase = "frozen";
    log.warn("node {} was frozen for {} ms, longer than the cluster tolerates; it rejoins as a new incarnation",
        config.name(), gap.toMillis());
    rejoin.tryComplete(new Rejoin("frozen for " + gap.toMillis() + " ms", true));
  }

  /** See {@link StuckTransferWatch}: what this node holds is sound, but its store cannot go on; it stops and starts again. */
  private void transferStuck(String what) {
    rejoin.tryComplete(new Rejoin(what, false));
  }

  /**
   * Why this node must rejoin as a new incarnation.
   *
   * @param stateIsStale true: what it holds may be stale, so it abandons it (see {@link #abandon});
   *     false: it stops gracefully (see {@link #stop}), handing its processes and data over first
   */
  public record Rejoin(String why, boolean stateIsStale) {
  }

  /** Completes when this node must rejoin as a new incarnation (frozen too long, or its store stuck). */
  public Future<Rejoin> mustRejoin() {
    return rejoin.future();
  }

  /**
   * Stops without handing off: what this node holds is stale, and its lists already run
   * elsewhere. It first cuts itself off from the cluster (closing the JGroups channel), before
   * the views could merge and its stale copies meet the current ones; then Vert.x closes and
   * the cache manager stops.
   */
  public Future<Void> abandon() {
    serving = false;
    phase = "abandoned";
    watchdog.stop();
    CompletableFuture<Void> stopped = CompletableFuture.runAsync(this::closeChannel)
        .thenCompose(v -> vertx.close().toCompletionStage())
        .exceptionally(error -> null)
        .thenRunAsync(this::stopCacheManager)
        .thenRun(() -> log.info("node {} abandoned its stale state", config.name()));
    return Future.fromCompletionStage(stopped);
  }

  private void closeChannel() {
    try {
      if (cacheManager.getTransport() instanceof JGroupsTransport transport) {
        transport.getChannel().close();
      }
    } catch (RuntimeException error) {
      log.warn("node {} could not close its cluster channel", config.name(), error);
    }
  }

  /**
   * After a merge, the members that had declared a node dead have purged its Vert.x node info and
   * event bus subscriptions; every node announces its own again (see RejoiningClusterManager).
   */
  private void reannounce() {
    announce();
    // once more when the cluster has settled: an announcement written while this node was still
    // rejoining Vert.x's caches (it was on the minority side, so its copies are dropped as it
    // rejoins) is lost, and then nobody can reach it or know its role (the smoke matrix saw 30 s)
    membership.settled().onSuccess(v -> announce());
  }

  private void announce() {
    clusterManager.reannounce()
        .onSuccess(v -> log.info("node {} announced itself again after a merge", config.name()))
        .onFailure(error -> log.error("node {} could not announce itself again after a merge", config.name(), error));
  }

  /**
   * A partition that cuts off as many servers as there are copies of an entry can leave some
   * entries with no copy on the majority side, and the store then serves neither side (a 2|3
   * split of 5 nodes with 2 copies). Said once per cluster size, so that the operator raises
   * {@code --owners} to a majority of the servers.
   */
  private void warnIfTooFewCopies() {
    int servers = membership.placement().members().size();
    int largestMinority = (servers - 1) / 2;
    if (largestMinority >= config.owners() && servers != warnedAtServers) {
      warnedAtServers = servers;
      log.warn("{} servers hold {} copies of each entry: a partition cutting off {} of them makes the whole store "
          + "unavailable until it heals; use --owners {} to keep the majority side serving", servers, config.owners(),
          largestMinority, servers / 2 + 1);
    }
  }

  private void stopCacheManager() {
    try {
      cacheManager.stop();
    } catch (RuntimeException error) {
      log.warn("the cache manager did not stop cleanly", error);
    }
  }

  /** Completes when the root supervisor has exited; abnormally means the node cannot go on. */
  public Future<ExitReason> terminated() {
    return root.terminated();
  }

  public boolean isServing() {
    return serving && !root.terminated().isComplete() && !membership.isMinority();
  }

  /**
   * /health, /ready and /metrics. Ready means: a member of the cluster view, on the majority side,
   * the store taking reads and writes, the root supervisor running, and started and not leaving.
   */
  private OperationsRoutes operationsRoutes() {
    NodeHealth health = new NodeHealth(vertx)
        .alive("process", () -> new JsonObject().put("node", config.name()))
        .ready("cluster-joined", () -> membership.members().contains(membership.self()),
            "this node is not in the cluster's current view")
        .ready("majority-side", () -> !membership.isMinority(),
            "this node sees only a minority of the last stable membership")
        .ready("cluster-formed", formation::isFormed,
            "this node's cluster has not formed after a restart: nothing is served until the copies it needs are back",
            () -> new JsonObject().put("waitingFor", formation.waitingFor()))
        .ready("store-joined", formation::holdsShare,
            "the store has not yet given this node its share of the copies since it started")
        .ready("store-settled", () -> !membership.isSettling(),
            "the store is reconciling its copies after a merge or a coordinator change",
            () -> Optional.ofNullable(membership.settleState()).map(Membership.SettleState::toJson).orElse(new JsonObject()))
        .ready("store-available", store::isAvailable, "the store does not take reads and writes here")
        .ready("root-supervisor", () -> root != null && !root.terminated().isComplete(),
            "the root supervisor is not running")
        .ready("not-draining", () -> serving && !membership.isLeaving(membership.self()),
            "this node is starting, leaving the cluster, or stopped serving after a freeze",
            () -> new JsonObject().put("phase", phase).put("leaving", membership.isLeaving(membership.self())));
    return new OperationsRoutes(health.liveness(), health.readiness(), metrics);
  }

  public int httpPort() {
    HttpApi api = http.get();
    return api == null ? config.httpPort() : api.actualPort();
  }

  public Vertx vertx() {
    return vertx;
  }

  /** This node's HTTP routes, once started (null before). */
  public HttpApi httpApi() {
    return http.get();
  }

  public NodeConfig config() {
    return config;
  }

  public TodoCache cache() {
    return cache;
  }

  public Formation formation() {
    return formation;
  }

  public Membership membership() {
    return membership;
  }

  public NodeMetrics metrics() {
    return metrics;
  }

  private static Future<Void> stopQuietly(EmbeddedCacheManager cacheManager) {
    return Future.fromCompletionStage(CompletableFuture.runAsync(cacheManager::stop))
        .otherwise(error -> {
          log.warn("the cache manager did not stop cleanly", error);
          return null;
        });
  }
}
