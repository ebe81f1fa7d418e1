package io.todocluster.supervision;

import static io.todocluster.supervision.TestChildren.await;
import static io.todocluster.supervision.TestChildren.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.supervision.TestChildren.EventProbe;
import io.todocluster.supervision.TestChildren.World;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Starting children in order (and rolling back), and stopping them in reverse order within their shutdown timeouts. */
@ExtendWith(VertxExtension.class)
class StartStopTest {

  private World world;
  private EventProbe probe;
  private String events;

  @BeforeEach
  void setUp(Vertx vertx) {
    world = new World(vertx);
    events = world.prefix + ".events";
    probe = new EventProbe(vertx, events);
  }

  private Supervisor supervisor(String name, ChildSpec... children) {
    return new Supervisor(name, Strategy.ONE_FOR_ONE, RestartIntensity.defaults(), List.of(children), events);
  }

  private ChildSpec worker(String name) {
    return ChildSpec.worker(name, world.worker(name));
  }

  @Test
  @DisplayName("children start in order and stop in reverse order when the supervisor is undeployed")
  void startInOrderStopInReverse(Vertx vertx) {
    Supervisor sup = supervisor("sup", worker("a"), worker("b"), worker("c"));
    String id = await(vertx.deployVerticle(sup));
    assertThat(world.log.snapshot()).containsExactly("start:a", "start:b", "start:c");

    await(vertx.undeploy(id));

    assertThat(world.log.snapshot()).containsExactly("start:a", "start:b", "start:c", "stop:c", "stop:b", "stop:a");
    assertThat(vertx.deploymentIDs()).isEmpty();
    assertThat(await(sup.terminated())).isEqualTo(ExitReason.SHUTDOWN);
  }

  @Test
  @DisplayName("a child whose start fails fails the supervisor's start, and the children started before it are stopped in reverse order")
  void startFailureRollsBack(Vertx vertx) {
    Supervisor sup = supervisor("sup", worker("a"), worker("b"),
        ChildSpec.worker("bad", world.failingToStart("bad")), worker("c"));

    Throwable failure = awaitFailure(vertx.deployVerticle(sup));

    assertThat(failure).hasMessageContaining("bad cannot start");
    assertThat(world.log.snapshot()).containsExactly("start:a", "start:b", "failed:bad", "stop:b", "stop:a");
    assertThat(world.starts("c")).isZero();
    assertThat(vertx.deploymentIDs()).isEmpty();
    assertThat(world.answers("a")).isFalse();
    assertThat(probe.await("sup", SupervisorEvents.START_FAILED, "bad", 1).getString("reason")).contains("bad cannot start");
  }

  @Test
  @DisplayName("a child supervisor whose start fails rolls back its own children, then fails its parent's start")
  void nestedStartFailureRollsBack(Vertx vertx) {
    ChildSpec inner = ChildSpec.supervisor("inner", () -> supervisor("inner", worker("b"),
        ChildSpec.worker("bad", world.failingToStart("bad"))));
    Supervisor top = supervisor("top", worker("a"), inner, worker("c"));

    awaitFailure(vertx.deployVerticle(top));

    assertThat(world.log.snapshot()).containsExactly("start:a", "start:b", "failed:bad", "stop:b", "stop:a");
    assertThat(vertx.deploymentIDs()).isEmpty();
  }

  @Test
  @DisplayName("a child whose stop never completes is undeployed after its shutdown timeout, and the shutdown goes on")
  void stuckChildIsKilledAfterItsShutdownTimeout(Vertx vertx) {
    Duration shutdown = Duration.ofMillis(300);
    Supervisor sup = supervisor("sup", worker("a"),
        ChildSpec.worker("stuck", world.neverStopping("stuck")).withShutdown(shutdown), worker("c"));
    String id = await(vertx.deployVerticle(sup));
    assertThat(world.answers("stuck")).isTrue();

    long began = System.nanoTime();
    await(vertx.undeploy(id));
    Duration took = Duration.ofNanos(System.nanoTime() - began);

    assertThat(took).isGreaterThanOrEqualTo(shutdown).isLessThan(TestChildren.WAIT);
    assertThat(world.logSince(3)).containsExactly("stop:c", "stop:stuck", "stop:a");
    JsonObject terminated = probe.await("sup", SupervisorEvents.CHILD_TERMINATED, "stuck", 1);
    assertThat(terminated.getBoolean("killed")).isTrue();
    assertThat(probe.await("sup", SupervisorEvents.CHILD_TERMINATED, "a", 1).getBoolean("killed")).isFalse();
    assertThat(vertx.deploymentIDs()).isEmpty();
    assertThat(world.answers("stuck")).as("the stuck child's event-bus consumer is gone").isFalse();
  }

  @Test
  @DisplayName("terminating a stuck child through the admin API also ends it after its shutdown timeout")
  void stuckChildTerminatedByAdmin(Vertx vertx) {
    Supervisor sup = supervisor("sup", worker("a"),
        ChildSpec.worker("stuck", world.neverStopping("stuck")).withShutdown(Duration.ofMillis(200)));
    String id = await(vertx.deployVerticle(sup));
    String stuck = world.ping("stuck");

    await(sup.terminateChild("stuck"));

    assertThat(vertx.deploymentIDs()).doesNotContain(stuck);
    assertThat(world.answers("stuck")).isFalse();
    assertThat(world.answers("a")).isTrue();
    await(vertx.undeploy(id));
  }
}
