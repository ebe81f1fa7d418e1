package io.todocluster.supervision;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A supervisor whose children are added and removed at run time, like Elixir's
 * {@code DynamicSupervisor} (strategy one_for_one), with unique child ids so that a child can be
 * found again (as with a {@code Registry} name).
 *
 * <p>Restart intensity comes in two scopes. Supervisor-wide (OTP's): when exceeded, all children
 * are stopped and this supervisor exits abnormally. Per child, when {@link #withChildIntensity} is
 * set: each child gets its own window and, when it exceeds it, that child alone is given up. This
 * is exactly what OTP users build with one small supervisor per child (a temporary child of the
 * dynamic supervisor), without a second verticle per child: one list that crashes in a loop must
 * not take every other list down with it. Children with their own window do not count against
 * the supervisor-wide one, as the intermediate supervisors would not.
 *
 * <p>Children are started concurrently (each child's own steps are ordered), so that thousands of
 * processes can be spawned per second; all state changes happen on this verticle's context.
 */
public class DynamicSupervisor extends VerticleBase {

  private final String name;
  private final RestartIntensity intensity;
  private final int maxChildren;
  private final String eventsAddress;
  private RestartIntensity childIntensity;
  private final Map<String, Child> children = new ConcurrentHashMap<>();
  private final Promise<ExitReason> terminated = Promise.promise();
  private ChildRunner runner;
  private SupervisorEvents events;
  private boolean exiting;

  public DynamicSupervisor(String name, RestartIntensity intensity, int maxChildren) {
    this(name, intensity, maxChildren, SupervisorEvents.DEFAULT_ADDRESS);
  }

  public DynamicSupervisor(String name, RestartIntensity intensity, int maxChildren, String eventsAddress) {
    if (maxChildren < 1) {
      throw new IllegalArgumentException("maxChildren must be >= 1, got " + maxChildren);
    }
    this.name = name;
    this.intensity = intensity.copy();
    this.maxChildren = maxChildren;
    this.eventsAddress = eventsAddress;
  }

  /** Gives every child its own restart window (see the class comment). */
  public DynamicSupervisor withChildIntensity(RestartIntensity perChild) {
    this.childIntensity = perChild;
    return this;
  }

  @Override
  public Future<?> start() {
    runner = new ChildRunner(vertx, context, this::onExit);
    events = new SupervisorEvents(vertx, name, eventsAddress);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return onContext(() -> {
      exiting = true;
      return stopAll().onComplete(ar -> {
        if (terminated.tryComplete(ExitReason.SHUTDOWN)) {
          events.shutdown(ExitReason.SHUTDOWN);
        }
      });
    });
  }

  public Future<ExitReason> terminated() {
    return terminated.future();
  }

  public String name() {
    return name;
  }

  /**
   * Starts a child under its spec's id and returns its deployment id. When a child with that id
   * is already running or starting, the result is that child's, so that concurrent callers share
   * one process; one that is on its way out is first allowed to finish, and then started anew.
   */
  public Future<String> startChild(ChildSpec spec) {
    return onContext(() -> {
      if (exiting) {
        return Future.failedFuture(new IllegalStateException("supervisor " + name + " is shutting down"));
      }
      Child existing = children.get(spec.id());
      if (existing != null) {
        return existing.current.recover(gone -> startChild(spec));
      }
      if (children.size() >= maxChildren) {
        return Future.failedFuture(new IllegalStateException(
            "supervisor " + name + " has reached maxChildren (" + maxChildren + ")"));
      }
      Child child = new Child(spec, childIntensity == null ? null : childIntensity.copy());
      children.put(spec.id(), child);
      child.current = start(child, false).onFailure(error -> children.remove(spec.id(), child));
      return child.current;
    });
  }

  /** Stops a child and forgets it. */
  public Future<Void> terminateChild(String id) {
    return onContext(() -> {
      Child child = children.remove(id);
      if (child == null) {
        return Future.failedFuture(new NoSuchElementException("supervisor " + name + " has no child '" + id + "'"));
      }
      ChildProcess process = child.process;
      child.process = null;
      child.current = Future.failedFuture("terminated");
      return process == null ? Future.succeededFuture()
          : runner.stop(process).map(killed -> {
            events.childTerminated(id, killed);
            return null;
          });
    });
  }

  /** The deployment id of a running child, or null; safe to call from any thread. */
  public String whereis(String id) {
    Child child = children.get(id);
    ChildProcess process = child == null ? null : child.process;
    return process == null ? null : process.deploymentId();
  }

  public Future<List<ChildInfo>> whichChildren() {
    return onContext(() -> Future.succeededFuture(new ArrayList<>(children.values()).stream().map(Child::info).toList()));
  }

  public Future<ChildCount> countChildren() {
    return onContext(() -> {
      int active = 0;
      int supervisors = 0;
      for (Child child : children.values()) {
        active += child.process == null ? 0 : 1;
        supervisors += child.spec.supervisor() ? 1 : 0;
      }
      return Future.succeededFuture(new ChildCount(children.size(), active, supervisors, children.size() - supervisors));
    });
  }

  /** The ids of the current children, as a snapshot; safe to call from any thread. */
  public List<String> childIds() {
    return List.copyOf(children.keySet());
  }

  public int size() {
    return children.size();
  }

  // ---- the policy ----

  private void onExit(ChildProcess process, ExitReason reason) {
    String id = process.spec().id();
    Child child = children.get(id);
    if (exiting || child == null || child.process != process) {
      return; // a stale incarnation, or we are on our way out anyway
    }
    child.process = null;
    events.childExited(id, reason);
    child.current = runner.stop(process).compose(killed -> afterExit(child, reason));
  }

  private Future<String> afterExit(Child child, ExitReason reason) {
    String id = child.spec.id();
    if (!child.spec.restart().restartsAfter(reason)) {
      children.remove(id, child);
      return Future.failedFuture("exited: " + reason);
    }
    RestartIntensity window = child.intensity == null ? intensity : child.intensity;
    if (!window.tryRestart(System.nanoTime())) {
      events.intensityExceeded(id, window);
      if (child.intensity != null) {
        children.remove(id, child); // this child's own supervisor gives up; its siblings go on
        return Future.failedFuture("gave up: " + reason);
      }
      escalate();
      return Future.failedFuture("supervisor exited: " + reason);
    }
    return start(child, true).recover(error -> exiting || children.get(id) != child
        ? Future.failedFuture(error)
        : afterExit(child, ExitReason.crash(error))); // try_again_restart: another exit
  }

  private Future<String> start(Child child, boolean restart) {
    return runner.start(child.spec)
        .onFailure(error -> events.startFailed(child.spec.id(), error))
        .map(process -> {
          if (exiting || children.get(child.spec.id()) != child) {
            runner.stop(process); // terminated or shut down while it was starting
            throw new IllegalStateException("child '" + child.spec.id() + "' was terminated while starting");
          }
          child.process = process;
          if (restart) {
            child.restarts++;
            events.childRestarted(child.spec.id(), process.deploymentId(), child.restarts);
          } else {
            events.childStarted(child.spec.id(), process.deploymentId());
          }
          return process.deploymentId();
        });
  }

  private void escalate() {
    exiting = true;
    ExitReason reason = ExitReason.abnormal(Supervisor.MAX_INTENSITY_REASON);
    stopAll().onComplete(ar -> {
      events.shutdown(reason);
      terminated.tryComplete(reason);
      if (!Exit.exit(context, reason)) {
        vertx.undeploy(deploymentID());
      }
    });
  }

  /** OTP stops a dynamic supervisor's children all at once, not in any order. */
  private Future<Void> stopAll() {
    List<Future<Boolean>> stops = new ArrayList<>();
    for (Child child : children.values()) {
      ChildProcess process = child.process;
      child.process = null;
      if (process != null) {
        stops.add(runner.stop(process));
      }
    }
    children.clear();
    return Future.join(stops).mapEmpty();
  }

  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> {
      try {
        action.get().onComplete(result);
      } catch (Throwable error) {
        result.fail(error);
      }
    });
    return result.future();
  }

  private static final class Child {
    final ChildSpec spec;
    final RestartIntensity intensity;
    volatile ChildProcess process;
    Future<String> current;
    int restarts;

    Child(ChildSpec spec, RestartIntensity intensity) {
      this.spec = spec;
      this.intensity = intensity;
    }

    ChildInfo info() {
      ChildProcess p = process;
      return new ChildInfo(spec.id(), p == null ? null : p.deploymentId(), spec.restart(), spec.supervisor(), restarts);
    }
  }
}
