package io.todocluster.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.infinispan.AdvancedCache;
import org.infinispan.context.Flag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of settling after a merge: the coordinator of the new view resolves the store's
 * conflicts itself (blocking, on a worker) and then records, in the replicated control cache, the
 * view it did so for; the other members wait until they read that record. One member walks the
 * store, not all of them, and every member serves again only after a resolution that succeeded.
 *
 * <p>Whoever resolves first records that it is doing so for the view ({@link #RECONCILING}). A
 * member waits for the coordinator's marker only so long ({@link #TAKE_OVER_AFTER}): a
 * coordinator that never saw the merge (it was still starting when its singleton view merged
 * into the cluster) never writes one, and a member that waited for it would serve nothing for
 * good. Without a marker after the bound the member resolves the conflicts itself; with one it
 * goes on waiting, however long the resolution takes (on two loaded cores it took 11 s, and three
 * members walking the store at once took twice that). Two resolutions at once apply the same
 * merge policy, so they agree. A coordinator lost on the way means a new view and a new wait.
 */
public final class Reconciliation implements Membership.Reconciler {

  static final String RECONCILED = "reconciled";
  static final String RECONCILING = "reconciling";
  /** How long a member waits for the coordinator's record once the store looks settled. */
  static final Duration TAKE_OVER_AFTER = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);

  private final Vertx vertx;
  private final AdvancedCache<String, String> control;
  private final Runnable resolveConflicts;
  private final LongSupplier nanoClock;
  private int waitingForView = -1;
  private long waitingSince;

  /** @param resolveConflicts resolves every conflict of the store, blocking; throws when it could not */
  public Reconciliation(Vertx vertx, AdvancedCache<String, String> control, Runnable resolveConflicts) {
    this(vertx, control, resolveConflicts, System::nanoTime);
  }

  Reconciliation(Vertx vertx, AdvancedCache<String, String> control, Runnable resolveConflicts, LongSupplier nanoClock) {
    this.vertx = vertx;
    this.control = control;
    this.resolveConflicts = resolveConflicts;
    this.nanoClock = nanoClock;
  }

  @Override
  public Future<Boolean> reconcile(int viewId, boolean coordinator) {
    if (recorded(RECONCILED) >= viewId) {
      return Future.succeededFuture(true);
    }
    if (!coordinator) {
      if (recorded(RECONCILING) >= viewId || !waitedTooLong(viewId)) {
        return Future.succeededFuture(false);
      }
      log.warn("no member began a reconciliation for view {} within {} s: this member resolves the store's "
          + "conflicts itself", viewId, TAKE_OVER_AFTER.toSeconds());
    }
    return put(RECONCILING, viewId)
        .compose(v -> vertx.executeBlocking(() -> {
          resolveConflicts.run();
          return null;
        }, false))
        .compose(v -> put(RECONCILED, viewId))
        .map(true);
  }

  private Future<Void> put(String key, int viewId) {
    return Future.fromCompletionStage(control.putAsync(key, Integer.toString(viewId)), vertx.getOrCreateContext())
        .mapEmpty();
  }

  /** Whether this member has waited past the bound for view {@code viewId}'s record (the first call starts the wait). */
  private synchronized boolean waitedTooLong(int viewId) {
    long now = nanoClock.getAsLong();
    if (waitingForView != viewId) {
      waitingForView = viewId;
      waitingSince = now;
      return false;
    }
    return now - waitingSince >= TAKE_OVER_AFTER.toNanos();
  }

  /** The view a record names, read from this member's copy of the replicated control cache; -1 when none. */
  private int recorded(String key) {
    String value = control.withFlags(Flag.CACHE_MODE_LOCAL).get(key);
    return value == null ? -1 : Integer.parseInt(value);
  }
}
