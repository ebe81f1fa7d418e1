package io.todocluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.infinispan.AdvancedCache;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.manager.DefaultCacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Reconciliation after a merge")
class ReconciliationTest {

  private static final int VIEW = 6;

  DefaultCacheManager manager;
  AdvancedCache<String, String> control;
  final AtomicInteger resolutions = new AtomicInteger();
  final AtomicLong clock = new AtomicLong();

  @BeforeEach
  void startControlCache() {
    manager = new DefaultCacheManager(new GlobalConfigurationBuilder().nonClusteredDefault().build());
    manager.defineConfiguration("control", new ConfigurationBuilder().build());
    control = manager.<String, String>getCache("control").getAdvancedCache();
  }

  @AfterEach
  void stop() {
    manager.stop();
  }

  Reconciliation reconciliation(Vertx vertx) {
    return new Reconciliation(vertx, control, resolutions::incrementAndGet, clock::get);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("the coordinator resolves the conflicts at once and records the view it did so for")
  void coordinatorResolves(Vertx vertx) throws Exception {
    assertThat(await(reconciliation(vertx).reconcile(VIEW, true))).isTrue();
    assertThat(resolutions).hasValue(1);
    assertThat(control.get(Reconciliation.RECONCILING)).as("it said it began").isEqualTo(Integer.toString(VIEW));
    assertThat(control.get(Reconciliation.RECONCILED)).isEqualTo(Integer.toString(VIEW));
  }

  @Test
  @DisplayName("another member waits for the coordinator's record, then serves without resolving again")
  void memberWaitsForTheRecord(Vertx vertx) throws Exception {
    Reconciliation member = reconciliation(vertx);
    assertThat(await(member.reconcile(VIEW, false))).isFalse();
    control.put(Reconciliation.RECONCILED, Integer.toString(VIEW));
    assertThat(await(member.reconcile(VIEW, false))).isTrue();
    assertThat(resolutions).hasValue(0);
  }

  @Test
  @DisplayName("a member whose coordinator never records the view resolves the conflicts itself after the bound")
  void memberTakesOver(Vertx vertx) throws Exception {
    Reconciliation member = reconciliation(vertx);
    assertThat(await(member.reconcile(VIEW, false))).isFalse();
    clock.addAndGet(Reconciliation.TAKE_OVER_AFTER.toNanos() - 1);
    assertThat(await(member.reconcile(VIEW, false))).isFalse();
    assertThat(resolutions).hasValue(0);
    clock.addAndGet(1);
    assertThat(await(member.reconcile(VIEW, false))).isTrue();
    assertThat(resolutions).hasValue(1);
    assertThat(control.get(Reconciliation.RECONCILED)).isEqualTo(Integer.toString(VIEW));
  }

  @Test
  @DisplayName("a member does not take over while another has begun the reconciliation of this view, however long it takes")
  void memberWaitsForAReconciliationUnderWay(Vertx vertx) throws Exception {
    Reconciliation member = reconciliation(vertx);
    control.put(Reconciliation.RECONCILING, Integer.toString(VIEW));
    assertThat(await(member.reconcile(VIEW, false))).isFalse();
    clock.addAndGet(10 * Reconciliation.TAKE_OVER_AFTER.toNanos());
    assertThat(await(member.reconcile(VIEW, false))).isFalse();
    assertThat(resolutions).hasValue(0);
  }

  @Test
  @DisplayName("a marker of an older view does not stop a member from taking over")
  void olderMarkerDoesNotCount(Vertx vertx) throws Exception {
    Reconciliation member = reconciliation(vertx);
    control.put(Reconciliation.RECONCILING, Integer.toString(VIEW - 1));
    member.reconcile(VIEW, false);
    clock.addAndGet(Reconciliation.TAKE_OVER_AFTER.toNanos());
    assertThat(await(member.reconcile(VIEW, false))).isTrue();
    assertThat(resolutions).hasValue(1);
    assertThat(control.get(Reconciliation.RECONCILING)).isEqualTo(Integer.toString(VIEW));
  }

  @Test
  @DisplayName("a newer view starts the wait again")
  void newViewWaitsAgain(Vertx vertx) throws Exception {
    Reconciliation member = reconciliation(vertx);
    member.reconcile(VIEW, false);
    clock.addAndGet(Reconciliation.TAKE_OVER_AFTER.toNanos());
    assertThat(await(member.reconcile(VIEW + 1, false))).isFalse();
    assertThat(resolutions).hasValue(0);
  }
}
