package io.todocluster.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closed while the cluster settles after a merge or a coordinator change, open otherwise: nothing
 * is served while it is closed. It opens once the store has settled since the last event and,
 * after a merge, once the copies are reconciled for the newest view ({@link Membership.Reconciler}).
 *
 * <p>One wait at a time: a newer event replaces the wait in progress, whose poll stops and whose
 * answer no longer counts. Several merges can follow each other within seconds (a node that
 * bridges two sides merges with each), and a wait for an older view that opened the gate would
 * leave the newest view unreconciled, with the other members waiting for its record for good. A
 * coordinator change that comes while a merge is still being settled keeps the merge's
 * reconciliation: the copies that met are still to be reconciled.
 */
final class SettleGate {

  private static final Logger log = LoggerFactory.getLogger(SettleGate.class);

  /** How often the store is asked whether it has settled. */
  private static final long POLL_MS = 100;
  /** How often a node that is still settling says so in its log. */
  private static final Duration REPORT_EVERY = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final Supplier<Set<String>> holders;
  private final BooleanSupplier coordinating;
  private final Runnable onSettled;
  private volatile Membership.StoreSettled storeSettled;
  private volatile Membership.Reconciler reconciler = (viewId, coordinator) -> Future.succeededFuture(true);
  private volatile Promise<Void> settled = Promise.promise();
  private volatile Membership.SettleState state;
  /** The wait in progress; an older wait's poll stops when it sees a newer one here. */
  private volatile Wait current;

  /**
   * One wait: {@code afterMerge} is the event's kind (what the store must have done since),
   * {@code reconcile} whether the copies must be reconciled before the gate opens.
   */
  private record Wait(boolean afterMerge, boolean reconcile, String why, int viewId, long eventNanos, long sinceNanos) {}

  /**
   * @param holders the members that hold data, as of now
   * @param coordinating whether this member is the view's coordinator, as of now
   * @param onSettled told each time the gate opens
   */
  SettleGate(Vertx vertx, Supplier<Set<String>> holders, BooleanSupplier coordinating, Runnable onSettled) {
    this.vertx = vertx;
    this.holders = holders;
    this.coordinating = coordinating;
    this.onSettled = onSettled;
  }

  void settleWith(Membership.StoreSettled storeSettled) {
    this.storeSettled = storeSettled;
  }

  void reconcileWith(Membership.Reconciler reconciler) {
    this.reconciler = reconciler;
  }

  /** Opens the gate of a node that starts: nothing to settle yet. */
  void open() {
    settled.tryComplete();
  }

  boolean isSettling() {
    return !settled.future().isComplete();
  }

  Future<Void> settled() {
    return settled.future();
  }

  Membership.SettleState state() {
    return isSettling() ? state : null;
  }

  /**
   * Closes the gate (if open) until the store has settled since this event; after a merge, or
   * while a merge before it is still being settled, until the copies are reconciled for
   * {@code viewId} too. Replaces the wait in progress.
   */
  synchronized void close(boolean afterMerge, String why, int viewId, long eventNanos) {
    Wait before = current;
    boolean mergePending = isSettling() && before != null && before.reconcile();
    if (!isSettling()) {
      settled = Promise.promise();
    }
    Promise<Void> gate = settled;
    long now = System.nanoTime();
    Wait wait = new Wait(afterMerge, afterMerge || mergePending, why, viewId, eventNanos, now);
    current = wait;
    state = new Membership.SettleState(why, System.currentTimeMillis(), 0, null);
    log.warn("{}: serving no list until the store has reconciled its copies", why);
    boolean[] busy = new boolean[1];
    long[] lastReport = {now};
    vertx.setPeriodic(POLL_MS, timer -> {
      if (gate.future().isComplete() || current != wait) {
        vertx.cancelTimer(timer);
        return;
      }
      if (busy[0]) {
        return;
      }
      if (System.nanoTime() - lastReport[0] > REPORT_EVERY.toNanos()) {
        lastReport[0] = System.nanoTime();
        log.warn("{}: still reconciling after {} s (view {}): {}", why,
            (lastReport[0] - wait.sinceNanos()) / 1_000_000_000, viewId, state);
      }
      if (storeSettled != null && !storeSettled.test(holders.get(), eventNanos, wait.afterMerge())) {
        return;
      }
      // a new coordinator's own conflict resolution reconciles copies that all come from one side;
      // a merge's brings two sides together, and only its failure loses writes (RELIABILITY.md 11)
      if (!wait.reconcile()) {
        open(gate, timer, wait);
        return;
      }
      busy[0] = true;
      reconciler.reconcile(viewId, coordinating.getAsBoolean()).onComplete(ar -> {
        busy[0] = false;
        if (current != wait) {
          return; // a newer event: its own wait decides
        }
        if (ar.failed()) {
          Membership.SettleState failed = state;
          state = new Membership.SettleState(why, failed.sinceMillis(), failed.failedAttempts() + 1,
              String.valueOf(ar.cause().getMessage()));
          log.warn("{}: reconciling the store's copies for view {} failed (attempt {}), trying again: {}", why,
              viewId, state.failedAttempts(), ar.cause().toString());
        } else if (ar.result()) {
          open(gate, timer, wait);
        }
      });
    });
  }

  private synchronized void open(Promise<Void> gate, long timer, Wait wait) {
    vertx.cancelTimer(timer);
    if (current == wait && gate.tryComplete()) {
      log.info("{}: the store settled in {} ms (view {})", wait.why(), (System.nanoTime() - wait.sinceNanos()) / 1_000_000,
          wait.viewId());
      onSettled.run();
    }
  }
}
