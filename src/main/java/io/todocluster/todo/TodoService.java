package io.todocluster.todo;

import io.todocluster.Addresses;
import io.todocluster.cluster.Membership;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The front door of the to-do system: validates a command and hands it to its list's process
 * on the list's owner node (placement over the live servers), a local call when that is this
 * node. Nothing the client was not told about is lost and nothing is applied twice: every
 * write carries an idempotency key (the client's, or an internal one), so when the owner dies
 * or pauses before answering, the command is sent again, to whoever owns the list then, and a
 * process that already applied it answers what it answered the first time. The client sees a
 * slower answer, not a failure.
 */
public final class TodoService {

  /**
   * A list process answers reads from memory and writes one at a time after a few store calls;
   * under a burst the last write waits for all before it. 20 s means it is in trouble.
   */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

  /**
   * How long a command may go on being re-routed: past failure detection of a silent node
   * (about 6 s), a view change and a process start, with room to spare.
   */
  public static final Duration ROUTING_DEADLINE = Duration.ofSeconds(20);

  /** A remote owner that does not answer in this time is asked again, or its successor is. */
  private static final long REMOTE_ATTEMPT_MS = 3_000;

  /** Between re-routes: short next to failure detection, long enough not to spin. */
  private static final long REROUTE_PAUSE_MS = 50;

  /** Enough for a process that is stopping and one that is restarting; beyond, something is wrong. */
  private static final int MAX_LOCAL_ATTEMPTS = 4;

  /** Internal keys contain a space, which a client's Idempotency-Key cannot. */
  static final String INTERNAL_KEY_PREFIX = "internal ";

  private final Vertx vertx;
  private final TodoCache cache;
  private final Membership membership;
  private final BooleanSupplier mayBeStale;
  private final DeliveryOptions remote = new DeliveryOptions().setSendTimeout(REMOTE_ATTEMPT_MS);
  private final Map<String, Set<Runnable>> inFlight = new ConcurrentHashMap<>();
  /** Why this node serves nothing yet after a restart (see cluster.Formation), or null. */
  private final Supplier<String> waitingFor;

  /**
   * @param mayBeStale whether this node may have been frozen past failure detection (then its
   *     memory may be stale and it serves nothing)
   */
  public TodoService(Vertx vertx, TodoCache cache, Membership membership, BooleanSupplier mayBeStale,
      Supplier<String> waitingFor) {
    this.vertx = vertx;
    this.waitingFor = waitingFor;
    this.cache = cache;
    this.membership = membership;
    this.mayBeStale = mayBeStale;
    membership.onChange(this::ownersLost);
  }

  /** Runs a raw command (as sent on {@code todo.commands}); the result is the reply body. */
  public Future<Object> execute(JsonObject raw) {
    JsonObject command;
    try {
      command = Commands.validate(raw);
    } catch (TodoException e) {
      return Future.failedFuture(e);
    }
    if (!command.getString("op").equals(Commands.ENTRIES) && !command.containsKey("idempotencyKey")) {
      command.put("idempotencyKey", INTERNAL_KEY_PREFIX + UUID.randomUUID());
    }
    return route(command, System.nanoTime() + ROUTING_DEADLINE.toNanos());
  }

  /**
   * Which node runs the list's process, or starts it on the list's next command: the placement
   * this node computes now, the same on every node of one view. Fails with 400 for a name that is
   * not a list's, 503 when no server node is live.
   */
  public Future<ListNode> whereIs(Object list) {
    String name;
    try {
      name = Commands.listName(list);
    } catch (TodoException e) {
      return Future.failedFuture(e);
    }
    String owner = membership.owner(name);
    return owner == null ? Future.failedFuture(TodoException.unavailable("no server node is available"))
        : Future.succeededFuture(new ListNode(name, owner));
  }

  /** Runs a command another node routed here, already validated, on this node's process. */
  public Future<Object> executeHere(JsonObject command) {
    if (!cache.serving() || membership.isLeaving(membership.self()) || membership.isSettling()
        || mayBeStale.getAsBoolean() || waitingFor.get() != null) {
      return Future.failedFuture(TodoException.unavailable("this node does not host lists (now)"));
    }
    return callLocal(command.getString("list"), command, 1);
  }

  private Future<Object> route(JsonObject command, long deadline) {
    if (mayBeStale.getAsBoolean()) {
      return Future.failedFuture(TodoException.unavailable(command.getBoolean("retry", false)
          ? "this node was frozen and is rejoining the cluster; the outcome is unknown: retry on another node"
          : "this node was frozen and is rejoining the cluster; nothing was applied: retry on another node"));
    }
    String waiting = waitingFor.get();
    if (waiting != null) {
      // a node waits only once, after its start: no attempt of this command was routed before
      return Future.failedFuture(TodoException.unavailable("this node serves nothing yet: " + waiting
          + "; nothing was applied: retry later or on another node"));
    }
    if (membership.isMinority()) {
      // an earlier attempt of a re-routed command may have been applied on the other side
      return Future.failedFuture(TodoException.unavailable(command.getBoolean("retry", false)
          ? "this node is now on the minority side of a network partition; the outcome is unknown: "
              + "retry with the same Idempotency-Key on a node on the majority side"
          : "this node is on the minority side of a network partition; nothing was applied: "
              + "use a node on the majority side"));
    }
    if (membership.isSettling()) {
      return retryOrFail(command, deadline, TodoException.unavailable(
          "the cluster is reconciling after a partition healed; retry"));
    }
    String owner = membership.owner(command.getString("list"));
    if (owner == null) {
      return retryOrFail(command, deadline, TodoException.unavailable("no server node is available"));
    }
    if (owner.equals(membership.self())) {
      // the process said "not applied" or "outcome unknown", or could not start: ask again,
      // through the same checks (minority, settling, owner), with the command's idempotency key
      return callLocal(command.getString("list"), command, 1).recover(error ->
          error instanceof TodoException e && e.status() == 503 ? retryOrFail(command, deadline, e) : Future.failedFuture(error));
    }
    return askOwner(owner, command).recover(error -> {
      if (error instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
          && reply.failureCode() != 503) {
        return Future.failedFuture(new TodoException(reply.failureCode(), reply.getMessage()));
      }
      // the owner is gone, paused, or busy handing off: ask again, whoever owns the list by then
      return retryOrFail(command, deadline, TodoException.unavailable("the list's node did not answer; retry"));
    });
  }

  /**
   * Sends a command to its owner node. If the cluster loses that node before it answers, the
   * command is given up at once (and re-routed by the caller) rather than after the timeout,
   * like a monitor's DOWN message in Erlang.
   */
  private Future<Object> askOwner(String owner, JsonObject command) {
    Promise<Object> answer = Promise.promise();
    Runnable giveUp = () -> answer.tryFail(new ReplyException(ReplyFailure.NO_HANDLERS, "the owner node was lost"));
    Set<Runnable> waiting = inFlight.computeIfAbsent(owner, o -> ConcurrentHashMap.newKeySet());
    waiting.add(giveUp);
    if (!membership.members().contains(owner)) {
      giveUp.run(); // lost between the placement and now
    }
    if (Commands.ENTRIES.equals(command.getString("op"))) {
      command.put(Commands.ENTRIES_AS_TEXT, true);
    }
    vertx.eventBus().request(Addresses.nodeCommands(owner), command, remote)
        .map(reply -> reply.body() instanceof Buffer text ? EntriesReply.ofJsonText(text) : reply.body())
        .onComplete(ar -> {
          waiting.remove(giveUp);
          if (ar.succeeded()) {
            answer.tryComplete(ar.result());
          } else {
            answer.tryFail(ar.cause());
          }
        });
    return answer.future();
  }

  private void ownersLost(Membership.Change change) {
    for (String lost : change.lost()) {
      Set<Runnable> waiting = inFlight.remove(lost);
      if (waiting != null) {
        waiting.forEach(Runnable::run);
      }
    }
  }

  private Future<Object> retryOrFail(JsonObject command, long deadline, TodoException failure) {
    if (System.nanoTime() + REROUTE_PAUSE_MS * 1_000_000 > deadline) {
      return Future.failedFuture(failure);
    }
    Promise<Object> retried = Promise.promise();
    vertx.setTimer(REROUTE_PAUSE_MS, t -> route(command.copy().put("retry", true), deadline).onComplete(retried));
    return retried.future();
  }

  private Future<Object> callLocal(String list, JsonObject command, int attempt) {
    return cache.ask(list, command, REQUEST_TIMEOUT.toMillis())
        .recover(error -> {
          if (!(error instanceof ReplyException reply)) {
            return Future.failedFuture(error);
          }
          // the process is not there (it stopped, or never started): start it and ask it; a
          // "not applied" or "outcome unknown" goes back to the caller, which retries with the
          // command's idempotency key once the store can be trusted (see route)
          boolean absent = reply.failureType() == ReplyFailure.NO_HANDLERS;
          if (absent && attempt < MAX_LOCAL_ATTEMPTS) {
            return cache.ensureRunning(list)
                .recover(cause -> Future.failedFuture(cause instanceof TodoException ? cause
                    : TodoException.unavailable("the list '" + list + "' cannot be loaded now; retry later")))
                .compose(v -> callLocal(list, command, attempt + 1));
          }
          return Future.failedFuture(translate(reply));
        });
  }

  private static TodoException translate(ReplyException reply) {
    return switch (reply.failureType()) {
      case RECIPIENT_FAILURE -> switch (reply.failureCode()) {
        case TodoServer.NOT_APPLIED -> TodoException.unavailable("the list's process is restarting; retry");
        case TodoServer.OUTCOME_UNKNOWN -> TodoException.unavailable(
            "the store did not confirm the write; the outcome is unknown: retry with the same Idempotency-Key");
        default -> new TodoException(reply.failureCode(), reply.getMessage());
      };
      case TIMEOUT -> TodoException.unavailable(
          "the list's process did not answer in time; the outcome is unknown: retry with the same Idempotency-Key");
      default -> TodoException.unavailable("the list's process is not available; retry");
    };
  }
}
