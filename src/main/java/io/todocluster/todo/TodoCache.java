package io.todocluster.todo;

import io.todocluster.Addresses;
import io.todocluster.cluster.ProcessRegistry;
import io.todocluster.store.TodoStore;
import io.todocluster.supervision.ChildSpec;
import io.todocluster.supervision.DynamicSupervisor;
import io.todocluster.supervision.Restart;
import io.todocluster.supervision.RestartIntensity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * This node's list processes (the book's {@code Todo.Cache}): finds a list's process or starts it
 * under the node's {@link DynamicSupervisor}. The supervisor itself is a supervised child that may
 * be restarted, so the cache always asks the current incarnation.
 */
public final class TodoCache {

  /** Enough for a million idle lists on one node; the bound exists so that memory is bounded too. */
  public static final int MAX_LISTS = 2_000_000;

  /** A local process answers a crash at once; past this it is too busy to be worth crashing. */
  private static final long CRASH_TIMEOUT_MS = 2_000;

  /** The name of the supervisor of this node's list processes (its reports carry it). */
  public static final String SUPERVISOR = "lists";

  private final TodoStore store;
  private final ProcessRegistry registry;
  private final Duration idleTimeout;
  private final BooleanSupplier storeTrusted;
  private final LocalProcesses processes;
  private final Takeovers takeovers;
  private final AtomicReference<DynamicSupervisor> supervisor = new AtomicReference<>();

  /** @param storeTrusted whether the store may be read and written now (see {@link TodoServer}) */
  public TodoCache(Vertx vertx, TodoStore store, ProcessRegistry registry, Duration idleTimeout,
      BooleanSupplier storeTrusted) {
    this.processes = new LocalProcesses(vertx);
    this.takeovers = new Takeovers(vertx, store);
    this.store = store;
    this.registry = registry;
    this.idleTimeout = idleTimeout;
    this.storeTrusted = storeTrusted;
  }

  /**
   * A new incarnation of the lists' supervisor, for the root supervisor's child spec. Each list
   * has its own restart window, so one list that crashes in a loop is given up alone.
   */
  public DynamicSupervisor newSupervisor() {
    DynamicSupervisor lists = new DynamicSupervisor(SUPERVISOR, RestartIntensity.defaults(), MAX_LISTS,
        Addresses.SUPERVISOR_EVENTS).withChildIntensity(RestartIntensity.defaults());
    supervisor.set(lists);
    return lists;
  }

  /** Makes sure the list's process runs on this node; completes once it answers messages. */
  public Future<Void> ensureRunning(String list) {
    DynamicSupervisor lists = supervisor.get();
    if (lists == null) {
      return Future.failedFuture(TodoException.unavailable("this node is not serving lists"));
    }
    ChildSpec spec = ChildSpec.worker(list, () -> new TodoServer(list, store, registry, idleTimeout, storeTrusted, processes,
        takeovers))
        .withRestart(Restart.TRANSIENT);
    return lists.startChild(spec).mapEmpty();
  }

  /**
   * Sends a command to the list's process here (see {@link LocalProcesses#ask}); fails with
   * {@link ReplyFailure#NO_HANDLERS} when it does not run here.
   */
  Future<Object> ask(String list, JsonObject command, long timeoutMs) {
    return processes.ask(list, command, timeoutMs);
  }

  /**
   * Makes this node's process of the list crash, for an operator who wants to watch its
   * supervisor restart it (the dashboard). Completes with whether a process was there to crash.
   */
  public Future<Boolean> crash(String list) {
    return processes.ask(list, new JsonObject().put("op", TodoServer.CRASH), CRASH_TIMEOUT_MS)
        .transform(ar -> {
          if (ar.cause() instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            return Future.succeededFuture(true); // it answered with its crash, as asked
          }
          if (ar.cause() instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
            return Future.succeededFuture(false);
          }
          return ar.succeeded() ? Future.failedFuture("the process did not crash") : Future.failedFuture(ar.cause());
        });
  }

  /** Stops the list's process here (for a move to another node); done when it is gone. */
  public Future<Void> stop(String list) {
    DynamicSupervisor lists = supervisor.get();
    return lists == null ? Future.succeededFuture() : lists.terminateChild(list).otherwiseEmpty();
  }

  /** The lists whose processes run here. */
  public java.util.Collection<String> lists() {
    DynamicSupervisor lists = supervisor.get();
    return lists == null ? java.util.List.of() : lists.childIds();
  }

  /** Whether this node runs list processes now (a server whose lists' supervisor is up). */
  public boolean serving() {
    DynamicSupervisor lists = supervisor.get();
    return lists != null && !lists.terminated().isComplete();
  }

  public int processCount() {
    DynamicSupervisor lists = supervisor.get();
    return lists == null ? 0 : lists.size();
  }

  public DynamicSupervisor supervisor() {
    return supervisor.get();
  }
}
