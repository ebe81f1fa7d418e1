package io.todocluster.metrics;

import io.todocluster.Addresses;
import io.todocluster.cluster.ClusterSupervisor;
import io.todocluster.supervision.ExitReason;
import io.todocluster.supervision.SupervisorEvents;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The metrics of this node's processes and of their moves between nodes. The supervisors and the
 * cluster supervisor already report every decision on the event bus, so this verticle only
 * listens and counts: nothing in {@code supervision} or {@code cluster} knows about metrics.
 * Its consumers are local: a publish from another node is that node's to count.
 * <ul>
 *   <li>{@code todo.processes.*}: the list processes (under the lists' supervisor): live count,
 *       starts, restarts, exits by kind, failed starts, lists given up after too many restarts;</li>
 *   <li>{@code todo.supervisor.*}: restarts of the node's other children, and escalations
 *       (a supervisor that exceeded its restart intensity and exited);</li>
 *   <li>{@code todo.cluster.*}: failovers, rebalances and handoffs with their durations and the
 *       processes they moved, the members seen, and whether this node is on the minority side.</li>
 * </ul>
 */
public final class ProcessMetrics extends VerticleBase {

  /** The reasons of the cluster supervisor's {@code processes-moved} events. */
  private static final List<String> MOVES = List.of("failover", "rebalance", "handoff");

  private final NodeMetrics metrics;
  private final String listsSupervisor;
  private final IntSupplier liveProcesses;
  private final IntSupplier members;
  private final BooleanSupplier minority;
  private MessageConsumer<JsonObject> supervisorEvents;
  private MessageConsumer<JsonObject> clusterEvents;

  /**
   * @param listsSupervisor the name of the supervisor whose children are the list processes
   * @param liveProcesses the list processes running here now
   * @param members the members of the cluster this node sees
   * @param minority whether this node is on the minority side of a partition
   */
  public ProcessMetrics(NodeMetrics metrics, String listsSupervisor, IntSupplier liveProcesses, IntSupplier members,
      BooleanSupplier minority) {
    this.metrics = metrics;
    this.listsSupervisor = listsSupervisor;
    this.liveProcesses = liveProcesses;
    this.members = members;
    this.minority = minority;
  }

  @Override
  public Future<?> start() {
    metrics.gauge("todo.processes.live", liveProcesses::getAsInt);
    metrics.gauge("todo.cluster.members", members::getAsInt);
    metrics.gauge("todo.partition.minority", () -> minority.getAsBoolean() ? 1 : 0);
    // every counter exists from the start, at 0: a rate over a series that appears late is wrong
    for (String name : List.of("starts", "restarts", "start_failures", "given_up", "terminations")) {
      metrics.counter("todo.processes." + name);
    }
    for (ExitReason.Kind kind : ExitReason.Kind.values()) {
      metrics.counter(exitCounter(kind.name()));
    }
    metrics.counter("todo.supervisor.restarts");
    metrics.counter("todo.supervisor.escalations");
    for (String move : MOVES) {
      metrics.timer(moveTimer(move));
      metrics.counter("todo.cluster." + move + ".processes");
    }
    supervisorEvents = vertx.eventBus().localConsumer(Addresses.SUPERVISOR_EVENTS, m -> onSupervisorEvent(m.body()));
    clusterEvents = vertx.eventBus().localConsumer(Addresses.CLUSTER_EVENTS, m -> onClusterEvent(m.body()));
    return Future.all(supervisorEvents.completion(), clusterEvents.completion());
  }

  @Override
  public Future<?> stop() {
    return Future.join(supervisorEvents.unregister(), clusterEvents.unregister());
  }

  /** See {@link SupervisorEvents} for the report's fields. */
  private void onSupervisorEvent(JsonObject report) {
    String event = report.getString("event", "");
    boolean list = listsSupervisor.equals(report.getString("supervisor"));
    switch (event) {
      case SupervisorEvents.CHILD_STARTED -> count(list, "todo.processes.starts");
      case SupervisorEvents.CHILD_RESTARTED -> metrics.counter(list ? "todo.processes.restarts" : "todo.supervisor.restarts").inc();
      case SupervisorEvents.CHILD_EXITED -> count(list, exitCounter(report.getString("kind", "abnormal")));
      case SupervisorEvents.START_FAILED -> count(list, "todo.processes.start_failures");
      case SupervisorEvents.CHILD_TERMINATED -> count(list, "todo.processes.terminations");
      case SupervisorEvents.INTENSITY_EXCEEDED -> count(list, "todo.processes.given_up");
      case SupervisorEvents.SHUTDOWN -> {
        if (ExitReason.Kind.ABNORMAL.name().equalsIgnoreCase(report.getString("kind"))) {
          metrics.counter("todo.supervisor.escalations").inc();
        }
      }
      default -> {
        // a report type added later: not counted until it has a metric
      }
    }
  }

  /** The cluster supervisor's {@code processes-moved}: one failover, rebalance or handoff, done. */
  private void onClusterEvent(JsonObject event) {
    String reason = event.getString("reason");
    if (!ClusterSupervisor.PROCESSES_MOVED.equals(event.getString("type")) || !MOVES.contains(reason)) {
      return;
    }
    metrics.timer(moveTimer(reason)).update(event.getLong("ms", 0L), TimeUnit.MILLISECONDS);
    metrics.counter("todo.cluster." + reason + ".processes").inc(event.getInteger("processes", 0));
  }

  private void count(boolean listProcess, String counter) {
    if (listProcess) {
      metrics.counter(counter).inc();
    }
  }

  private static String exitCounter(String kind) {
    return "todo.processes.exits." + kind.toLowerCase(Locale.ROOT);
  }

  private static String moveTimer(String move) {
    return "todo.cluster." + move + ".duration_seconds";
  }
}
