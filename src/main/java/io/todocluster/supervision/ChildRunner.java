package io.todocluster.supervision;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.function.BiConsumer;

/**
 * Starts, watches and stops the children of one supervisor. Every callback lands on the
 * supervisor's own context, so the supervisor's state needs no locks.
 *
 * <p>Children are deployed from a context that belongs to no deployment. Deployed from the
 * supervisor's context they would become Vert.x child deployments, and Vert.x undeploys child
 * deployments all at once, before the parent's {@code stop()} runs; OTP stops children one by one
 * in reverse start order, and so must we.
 */
final class ChildRunner {

  private final Vertx vertx;
  private final ContextInternal home;
  private final ContextInternal detached;
  private final BiConsumer<ChildProcess, ExitReason> onExit;

  ChildRunner(Vertx vertx, Context home, BiConsumer<ChildProcess, ExitReason> onExit) {
    this.vertx = vertx;
    this.home = (ContextInternal) home;
    this.detached = ((VertxInternal) vertx).createEventLoopContext();
    this.onExit = onExit;
  }

  /** Deploys one new incarnation of the child; fails when its start fails. */
  Future<ChildProcess> start(ChildSpec spec) {
    Promise<String> deployed = home.promise();
    ChildProcess[] self = new ChildProcess[1];
    ChildProcess process;
    try {
      // an exit can come before the deployment has completed here (a child that exits in its start,
      // or crashes right after it): hold it until then, so that the supervisor knows the process
      process = new ChildProcess(spec, reason -> deployed.future()
          .onComplete(ar -> home.runOnContext(v -> onExit.accept(self[0], reason))));
    } catch (Throwable error) {
      return Future.failedFuture(error);
    }
    self[0] = process;
    detached.runOnContext(v -> vertx.deployVerticle(process, spec.options()).onComplete(deployed));
    return deployed.future().map(id -> {
      process.deploymentId(id);
      return process;
    });
  }

  /**
   * Undeploys a child within its shutdown timeout. Succeeds with whether it had to be killed;
   * a child that is already gone counts as stopped.
   */
  Future<Boolean> stop(ChildProcess process) {
    process.stopRequested();
    String id = process.deploymentId();
    if (id == null) {
      return Future.succeededFuture(false);
    }
    // no lookup in vertx.deploymentIDs() first: it copies every deployment id, and stopping n
    // children that way costs n^2 (13 s of blocked event loop at 100,000 list processes); an
    // undeploy of a child that is already gone fails at once, and it counts as stopped
    Promise<Boolean> stopped = home.promise();
    vertx.undeploy(id).onComplete(ar -> stopped.complete(process.killed()));
    return stopped.future();
  }
}
