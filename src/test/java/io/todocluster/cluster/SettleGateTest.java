package io.todocluster.cluster;

import static io.todocluster.support.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The gate that keeps a node from serving while the cluster settles, with the store and the
 * reconciliation played by the test: the store has always settled, and each view's
 * reconciliation answers when the test says so.
 */
@DisplayName("The settle gate")
class SettleGateTest {

  private Vertx vertx;
  private SettleGate gate;
  /** The views asked to reconcile, in order. */
  private final List<Integer> asked = new CopyOnWriteArrayList<>();
  /** Each view's answer, completed by the test; views without one answer true at once. */
  private final Map<Integer, Promise<Boolean>> answers = new ConcurrentHashMap<>();
  private final AtomicInteger opened = new AtomicInteger();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    gate = new SettleGate(vertx, () -> Set.of("a", "b", "c"), () -> true, opened::incrementAndGet);
    gate.settleWith((members, sinceNanos, afterMerge) -> true);
    gate.reconcileWith((viewId, coordinator) -> {
      asked.add(viewId);
      Promise<Boolean> answer = answers.get(viewId);
      return answer == null ? Future.succeededFuture(true) : answer.future();
    });
    gate.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("a second merge replaces the wait for the first: the gate opens only once the newest view is reconciled")
  void newerMergeReplacesTheOlderWait() throws Exception {
    Promise<Boolean> eight = Promise.promise();
    answers.put(8, eight);

    gate.close(true, "merge", 7, System.nanoTime());
    gate.close(true, "merge", 8, System.nanoTime());

    await("view 8 is asked to reconcile", () -> asked.contains(8));
    assertThat(gate.isSettling()).as("closed while view 8 is reconciling").isTrue();
    assertThat(asked).as("the replaced wait for view 7 asks nothing").containsOnly(8);
    assertThat(gate.state().why()).isEqualTo("merge");

    vertx.runOnContext(v -> eight.complete(true));
    await("the gate opens", () -> opened.get() > 0);
    assertThat(gate.isSettling()).isFalse();
    assertThat(opened).hasValue(1);
    assertThat(gate.state()).isNull();
  }

  @Test
  @DisplayName("a coordinator change while a merge is settling still waits for the merge's copies to be reconciled")
  void coordinatorChangeKeepsThePendingReconciliation() throws Exception {
    Promise<Boolean> eight = Promise.promise();
    answers.put(8, eight);

    gate.close(true, "merge", 7, System.nanoTime());
    gate.close(false, "the coordinator a is gone", 8, System.nanoTime());

    await("view 8 is asked to reconcile", () -> asked.contains(8));
    assertThat(gate.isSettling()).isTrue();

    vertx.runOnContext(v -> eight.complete(true));
    await("the gate opens", () -> opened.get() > 0);
    assertThat(gate.isSettling()).isFalse();
    assertThat(asked).containsOnly(8);
    assertThat(opened).hasValue(1);
  }

  @Test
  @DisplayName("a coordinator change alone opens the gate once the store has settled, with no reconciliation")
  void coordinatorChangeAlone() throws Exception {
    gate.close(false, "the coordinator a is gone", 8, System.nanoTime());

    await("the gate opens", () -> opened.get() > 0);
    assertThat(gate.isSettling()).isFalse();
    assertThat(asked).isEmpty();
    assertThat(opened).hasValue(1);
  }

  @Test
  @DisplayName("a failed reconciliation keeps the gate closed and is tried again until it succeeds")
  void failedReconciliationIsRetried() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    gate.reconcileWith((viewId, coordinator) -> attempts.incrementAndGet() < 3
        ? Future.failedFuture(new IllegalStateException("ISPN000462: getConflicts() already in progress"))
        : Future.succeededFuture(true));

    gate.close(true, "merge", 9, System.nanoTime());

    await("the gate opens", () -> opened.get() > 0);
    assertThat(gate.isSettling()).isFalse();
    assertThat(attempts).hasValue(3);
    assertThat(opened).hasValue(1);
  }
}
