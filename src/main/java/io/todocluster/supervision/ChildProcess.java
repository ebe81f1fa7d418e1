package io.todocluster.supervision;

import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One incarnation of a supervised child: wraps the child's deployable so that everything that
 * ends it reaches the supervisor, the way an Erlang link delivers an exit signal. It reports, at
 * most once: an uncaught exception on the child's context, an {@link Exit} the child asks for,
 * and an undeploy the supervisor did not ask for. It also enforces the shutdown timeout: when
 * the child's {@code stop()} takes longer, the undeploy completes anyway and Vert.x closes the
 * child's context (its consumers and timers), which is OTP's {@code brutal_kill} after the
 * timeout.
 */
final class ChildProcess implements Deployable {

  private final ChildSpec spec;
  private final Deployable child;
  private final Consumer<ExitReason> exitSignal;
  private volatile boolean exited;
  private volatile boolean stopRequested;
  private volatile boolean killed;
  private volatile String deploymentId;

  ChildProcess(ChildSpec spec, Consumer<ExitReason> exitSignal) {
    this.spec = spec;
    this.child = spec.start().get();
    this.exitSignal = exitSignal;
  }

  @Override
  public Future<?> deploy(Context context) throws Exception {
    context.put(Exit.SIGNAL_KEY, (Consumer<ExitReason>) this::exit);
    context.exceptionHandler(error -> exit(ExitReason.crash(error)));
    return child.deploy(context);
  }

  @Override
  public Future<?> undeploy(Context context) {
    if (!stopRequested) {
      exit(ExitReason.abnormal("killed: undeployed without its supervisor's consent"));
    }
    Future<?> stop;
    try {
      stop = child.undeploy(context);
    } catch (Throwable error) {
      stop = Future.failedFuture(error);
    }
    Duration shutdown = spec.shutdown();
    if (shutdown == null) {
      return stop.recover(error -> Future.succeededFuture());
    }
    // a failing or hanging stop() still ends the child: the supervisor's decision is final
    // killed is set before the undeploy can complete: completing ended first let the supervisor
    // read killed while the timer had not yet set it
    Promise<Boolean> ended = Promise.promise();
    long timer = context.owner().setTimer(Math.max(1, shutdown.toMillis()), id -> ended.tryComplete(true));
    stop.onComplete(ar -> {
      context.owner().cancelTimer(timer);
      ended.tryComplete(false);
    });
    return ended.future().map(wasKilled -> {
      killed = wasKilled;
      return null;
    });
  }

  /** The supervisor is about to undeploy this child: whatever happens now is not an exit. */
  void stopRequested() {
    stopRequested = true;
    exited = true;
  }

  private void exit(ExitReason reason) {
    if (!exited) {
      exited = true;
      exitSignal.accept(reason);
    }
  }

  ChildSpec spec() {
    return spec;
  }

  String deploymentId() {
    return deploymentId;
  }

  void deploymentId(String id) {
    deploymentId = id;
  }

  /** Whether the last stop ran past the shutdown timeout. */
  boolean killed() {
    return killed;
  }
}
