package io.todocluster.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.infinispan.AdvancedCache;
import org.infinispan.context.Flag;

/**
 * The last step of settling after a merge or a coordinator change: the coordinator of the new
 * view resolves the store's conflicts itself (blocking, on a worker) and then records, in the
 * replicated control cache, the view it did so for; the other members wait until they read that
 * record. One member walks the store, not all of them, and every member serves again only after
 * a resolution that succeeded. A coordinator lost on the way means a new view, and a new attempt.
 */
public final class Reconciliation implements Membership.Reconciler {

  static final String RECONCILED = "reconciled";

  private final Vertx vertx;
  private final AdvancedCache<String, String> control;
  private final Runnable resolveConflicts;

  /** @param resolveConflicts resolves every conflict of the store, blocking; throws when it could not */
  public Reconciliation(Vertx vertx, AdvancedCache<String, String> control, Runnable resolveConflicts) {
    this.vertx = vertx;
    this.control = control;
    this.resolveConflicts = resolveConflicts;
  }

  @Override
  public Future<Boolean> reconcile(int viewId, boolean coordinator) {
    if (reconciledFor() >= viewId) {
      return Future.succeededFuture(true);
    }
    if (!coordinator) {
      return Future.succeededFuture(false);
    }
    return vertx.executeBlocking(() -> {
      resolveConflicts.run();
      return null;
    }, false).compose(v -> Future.fromCompletionStage(control.putAsync(RECONCILED, Integer.toString(viewId)),
        vertx.getOrCreateContext())).map(true);
  }

  private int reconciledFor() {
    String value = control.withFlags(Flag.CACHE_MODE_LOCAL).get(RECONCILED);
    return value == null ? -1 : Integer.parseInt(value);
  }
}
