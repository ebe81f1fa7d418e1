package io.todocluster.supervision;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A supervisor with a fixed list of children, with the semantics of OTP's {@code supervisor}:
 * children start in order, and if one fails to start those already started are stopped and the
 * supervisor's start fails; an abnormal exit is answered per {@link Strategy}, within the
 * {@link RestartIntensity}; when the intensity is exceeded the supervisor stops all its children
 * and exits abnormally, so that its own supervisor decides; on stop, children are stopped one by
 * one in reverse start order, each within its shutdown timeout.
 *
 * <p>All state lives on this verticle's context; every event is a message in its {@link Mailbox}.
 */
public class Supervisor extends VerticleBase {

  /** Why a supervisor gives up: the same words as supervisor.erl. */
  public static final String MAX_INTENSITY_REASON = "shutdown: reached_max_restart_intensity";

  private final String name;
  private final Strategy strategy;
  private final RestartIntensity intensity;
  private final List<Child> children = new ArrayList<>();
  private final String eventsAddress;
  private final Promise<ExitReason> terminated = Promise.promise();
  private Mailbox mailbox;
  private ChildRunner runner;
  private SupervisorEvents events;
  private boolean exiting;

  public Supervisor(String name, Strategy strategy, RestartIntensity intensity, List<ChildSpec> specs) {
    this(name, strategy, intensity, specs, SupervisorEvents.DEFAULT_ADDRESS);
  }

  public Supervisor(String name, Strategy strategy, RestartIntensity intensity, List<ChildSpec> specs,
      String eventsAddress) {
    this.name = Objects.requireNonNull(name, "name");
    this.strategy = Objects.requireNonNull(strategy, "strategy");
    this.intensity = intensity.copy();
    this.eventsAddress = eventsAddress;
    var ids = new HashSet<String>();
    for (ChildSpec spec : specs) {
      if (!ids.add(spec.id())) {
        throw new IllegalArgumentException("duplicate child id '" + spec.id() + "' in supervisor " + name);
      }
      children.add(new Child(spec));
    }
  }

  @Override
  public Future<?> start() {
    mailbox = new Mailbox(context);
    runner = new ChildRunner(vertx, context, (process, reason) -> mailbox.post(() -> onExit(process, reason)));
    events = new SupervisorEvents(vertx, name, eventsAddress);
    return mailbox.post(this::startAll);
  }

  @Override
  public Future<?> stop() {
    return mailbox.post(() -> {
      exiting = true;
      return stopInReverse(children).onComplete(ar -> {
        if (terminated.tryComplete(ExitReason.SHUTDOWN)) {
          events.shutdown(ExitReason.SHUTDOWN);
        }
      });
    });
  }

  /** Completes when this supervisor has exited, with the reason. */
  public Future<ExitReason> terminated() {
    return terminated.future();
  }

  public String name() {
    return name;
  }

  public Strategy strategy() {
    return strategy;
  }

  // ---- admin API (OTP: which_children, count_children, terminate_child, restart_child) ----

  public Future<List<ChildInfo>> whichChildren() {
    return mailbox.post(() -> Future.succeededFuture(children.stream().map(Child::info).toList()));
  }

  public Future<ChildCount> countChildren() {
    return mailbox.post(() -> {
      int active = (int) children.stream().filter(c -> c.process != null).count();
      int supervisors = (int) children.stream().filter(c -> c.spec.supervisor()).count();
      return Future.succeededFuture(new ChildCount(children.size(), active, supervisors, children.size() - supervisors));
    });
  }

  /** Stops a child; it stays in the list (unless temporary) until restarted with {@link #restartChild}. */
  public Future<Void> terminateChild(String id) {
    return mailbox.post(() -> {
      Child child = find(id);
      if (child.spec.restart() == Restart.TEMPORARY) {
        children.remove(child);
      }
      return stopOne(child);
    });
  }

  /** Starts again a child that was terminated; fails if it is running. */
  public Future<Void> restartChild(String id) {
    return mailbox.post(() -> {
      Child child = find(id);
      if (child.process != null) {
        return Future.failedFuture(new IllegalStateException("child '" + id + "' is running"));
      }
      return startOne(child, true);
    });
  }

  // ---- the policy ----

  private Future<Void> startAll() {
    List<Child> started = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Child child : children) {
      chain = chain.compose(v -> startOne(child, false).onSuccess(x -> started.add(child)));
    }
    return chain.recover(error -> {
      exiting = true;
      return stopInReverse(started).transform(ar -> Future.failedFuture(
          new IllegalStateException("supervisor " + name + " could not start its children: " + error.getMessage(), error)));
    });
  }

  private Future<Void> onExit(ChildProcess process, ExitReason reason) {
    Child child = children.stream().filter(c -> c.process == process).findFirst().orElse(null);
    if (exiting || child == null) {
      return Future.succeededFuture(); // a stale incarnation, or we are on our way out anyway
    }
    child.process = null;
    events.childExited(child.spec.id(), reason);
    return runner.stop(process).compose(killed -> afterExit(child, reason));
  }

  private Future<Void> afterExit(Child child, ExitReason reason) {
    if (!child.spec.restart().restartsAfter(reason)) {
      if (child.spec.restart() == Restart.TEMPORARY) {
        children.remove(child);
      }
      return Future.succeededFuture();
    }
    if (!intensity.tryRestart(System.nanoTime())) {
      events.intensityExceeded(child.spec.id(), intensity);
      return escalate();
    }
    List<Child> group = switch (strategy) {
      case ONE_FOR_ONE -> List.of(child);
      case ONE_FOR_ALL -> List.copyOf(children);
      case REST_FOR_ONE -> List.copyOf(children.subList(children.indexOf(child), children.size()));
    };
    return stopInReverse(group).compose(v -> restartInOrder(group));
  }

  private Future<Void> restartInOrder(List<Child> group) {
    Future<Void> chain = Future.succeededFuture();
    for (Child child : group) {
      if (!children.contains(child)) {
        continue; // a temporary sibling stopped by this restart is gone for good, as in OTP
      }
      chain = chain.compose(v -> startOne(child, true).recover(error -> {
        // supervisor.erl's try_again_restart: the failed start is one more exit, as a new message
        mailbox.post(() -> exiting ? Future.succeededFuture() : afterExit(child, ExitReason.crash(error)));
        return Future.failedFuture(error);
      }));
    }
    return chain.recover(error -> Future.succeededFuture());
  }

  private Future<Void> escalate() {
    exiting = true;
    ExitReason reason = ExitReason.abnormal(MAX_INTENSITY_REASON);
    return stopInReverse(children).onComplete(ar -> {
      events.shutdown(reason);
      terminated.tryComplete(reason);
      if (!Exit.exit(context, reason)) {
        vertx.undeploy(deploymentID()); // a root supervisor: nobody above us to decide
      }
    });
  }

  private Future<Void> startOne(Child child, boolean restart) {
    return runner.start(child.spec)
        .onFailure(error -> events.startFailed(child.spec.id(), error))
        .map(process -> {
          child.process = process;
          if (restart) {
            child.restarts++;
            events.childRestarted(child.spec.id(), process.deploymentId(), child.restarts);
          } else {
            events.childStarted(child.spec.id(), process.deploymentId());
          }
          return null;
        });
  }

  private Future<Void> stopInReverse(List<Child> group) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = group.size() - 1; i >= 0; i--) {
      Child child = group.get(i);
      // decided before the stop is chained: on a completed chain compose runs stopOne at once,
      // which clears child.process, and the temporary child would then be restarted
      if (child.spec.restart() == Restart.TEMPORARY && child.process != null && !exiting) {
        children.remove(child);
      }
      chain = chain.compose(v -> stopOne(child));
    }
    return chain;
  }

  private Future<Void> stopOne(Child child) {
    ChildProcess process = child.process;
    if (process == null) {
      return Future.succeededFuture();
    }
    child.process = null;
    return runner.stop(process).map(killed -> {
      events.childTerminated(child.spec.id(), killed);
      return null;
    });
  }

  private Child find(String id) {
    return children.stream().filter(c -> c.spec.id().equals(id)).findFirst()
        .orElseThrow(() -> new NoSuchElementException("supervisor " + name + " has no child '" + id + "'"));
  }

  private static final class Child {
    final ChildSpec spec;
    ChildProcess process;
    int restarts;

    Child(ChildSpec spec) {
      this.spec = spec;
    }

    ChildInfo info() {
      return new ChildInfo(spec.id(), process == null ? null : process.deploymentId(), spec.restart(),
          spec.supervisor(), restarts);
    }
  }
}
