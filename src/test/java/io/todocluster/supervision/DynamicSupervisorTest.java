package io.todocluster.supervision;

import static io.todocluster.supervision.TestChildren.await;
import static io.todocluster.supervision.TestChildren.awaitFailure;
import static io.todocluster.supervision.TestChildren.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.supervision.TestChildren.EventProbe;
import io.todocluster.supervision.TestChildren.World;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Children added and removed at run time, one_for_one, with unique ids. */
@ExtendWith(VertxExtension.class)
class DynamicSupervisorTest {

  private World world;
  private EventProbe probe;
  private String events;

  @BeforeEach
  void setUp(Vertx vertx) {
    world = new World(vertx);
    events = world.prefix + ".events";
    probe = new EventProbe(vertx, events);
  }

  private ChildSpec worker(String name) {
    return ChildSpec.worker(name, world.worker(name));
  }

  @Test
  @DisplayName("startChild deploys a child under its id, and a crashed child is restarted alone")
  void startAndRestart(Vertx vertx) {
    DynamicSupervisor sup = new DynamicSupervisor("dyn", RestartIntensity.defaults(), 10, events);
    String id = await(vertx.deployVerticle(sup));
    String x = await(sup.startChild(worker("x")));
    String y = await(sup.startChild(worker("y")));
    assertThat(sup.whereis("x")).isEqualTo(x).isEqualTo(world.ping("x"));

    world.crash("x");
    probe.await("dyn", SupervisorEvents.CHILD_RESTARTED, "x", 1);

    assertThat(sup.whereis("x")).isNotEqualTo(x).isEqualTo(world.ping("x"));
    assertThat(sup.whereis("y")).isEqualTo(y);
    assertThat(vertx.deploymentIDs()).doesNotContain(x);
    assertThat(await(sup.countChildren())).isEqualTo(new ChildCount(2, 2, 0, 2));
    await(vertx.undeploy(id));
    assertThat(vertx.deploymentIDs()).isEmpty();
  }

  @Test
  @DisplayName("starting the same id twice concurrently yields one process")
  void sameIdConcurrently(Vertx vertx) {
    DynamicSupervisor sup = new DynamicSupervisor("dyn", RestartIntensity.defaults(), 10, events);
    String id = await(vertx.deployVerticle(sup));

    Future<String> first = sup.startChild(worker("x"));
    Future<String> second = sup.startChild(worker("x"));

    assertThat(await(first)).isEqualTo(await(second)).isEqualTo(world.ping("x"));
    assertThat(world.starts("x")).isEqualTo(1);
    assertThat(sup.size()).isEqualTo(1);
    assertThat(await(sup.startChild(worker("x")))).as("a later call finds it too").isEqualTo(await(first));
    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("maxChildren refuses one child too many, and a terminated child frees its slot")
  void maxChildren(Vertx vertx) {
    DynamicSupervisor sup = new DynamicSupervisor("dyn", RestartIntensity.defaults(), 2, events);
    String id = await(vertx.deployVerticle(sup));
    await(sup.startChild(worker("a")));
    await(sup.startChild(worker("b")));

    assertThat(awaitFailure(sup.startChild(worker("c"))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("maxChildren");
    assertThat(world.starts("c")).isZero();

    await(sup.terminateChild("a"));
    assertThat(await(sup.startChild(worker("c")))).isEqualTo(world.ping("c"));
    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("terminateChild stops the child and forgets it")
  void terminateChild(Vertx vertx) {
    DynamicSupervisor sup = new DynamicSupervisor("dyn", RestartIntensity.defaults(), 10, events);
    String id = await(vertx.deployVerticle(sup));
    String x = await(sup.startChild(worker("x")));
    await(sup.startChild(worker("y")));

    await(sup.terminateChild("x"));

    assertThat(await(sup.whichChildren())).extracting(ChildInfo::id).containsExactly("y");
    assertThat(sup.whereis("x")).isNull();
    assertThat(vertx.deploymentIDs()).doesNotContain(x);
    assertThat(world.answers("x")).isFalse();
    assertThat(awaitFailure(sup.terminateChild("x"))).isInstanceOf(NoSuchElementException.class);
    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("a transient child that exits normally is not restarted and is forgotten")
  void transientNormalExit(Vertx vertx) {
    DynamicSupervisor sup = new DynamicSupervisor("dyn", RestartIntensity.defaults(), 10, events);
    String id = await(vertx.deployVerticle(sup));
    String x = await(sup.startChild(worker("x").withRestart(Restart.TRANSIENT)));

    world.exitNormally("x");

    eventually("x to be forgotten", () -> sup.size() == 0);
    assertThat(vertx.deploymentIDs()).doesNotContain(x);
    assertThat(world.starts("x")).isEqualTo(1);
    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("with a per-child intensity only the crashing child is given up; its siblings keep running")
  void perChildIntensity(Vertx vertx) {
    // supervisor-wide 1 restart: had x's restarts counted against it, the whole supervisor would exit
    DynamicSupervisor sup = new DynamicSupervisor("dyn", new RestartIntensity(1, Duration.ofSeconds(5)), 10, events)
        .withChildIntensity(new RestartIntensity(2, Duration.ofSeconds(5)));
    String id = await(vertx.deployVerticle(sup));
    await(sup.startChild(worker("x")));
    String y = await(sup.startChild(worker("y")));

    for (int n = 1; n <= 2; n++) {
      world.crash("x");
      probe.await("dyn", SupervisorEvents.CHILD_RESTARTED, "x", n);
    }
    world.crash("x");
    probe.await("dyn", SupervisorEvents.INTENSITY_EXCEEDED, "x", 1);

    eventually("x to be given up", () -> sup.whereis("x") == null && sup.size() == 1);
    assertThat(world.answers("x")).isFalse();
    assertThat(sup.whereis("y")).isEqualTo(y).isEqualTo(world.ping("y"));
    assertThat(sup.terminated().isComplete()).isFalse();
    assertThat(vertx.deploymentIDs()).containsExactlyInAnyOrder(id, y);

    // y still has a full window of its own
    world.crash("y");
    probe.await("dyn", SupervisorEvents.CHILD_RESTARTED, "y", 1);
    assertThat(sup.whereis("y")).isNotEqualTo(y).isEqualTo(world.ping("y"));
    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("without a per-child intensity, exceeding the supervisor-wide one stops every child and the supervisor exits")
  void supervisorWideIntensity(Vertx vertx) {
    DynamicSupervisor sup = new DynamicSupervisor("dyn", new RestartIntensity(1, Duration.ofSeconds(5)), 10, events);
    String id = await(vertx.deployVerticle(sup));
    await(sup.startChild(worker("x")));
    await(sup.startChild(worker("y")));

    world.crash("x");
    probe.await("dyn", SupervisorEvents.CHILD_RESTARTED, "x", 1);
    world.crash("y");

    assertThat(await(sup.terminated()).description()).isEqualTo(Supervisor.MAX_INTENSITY_REASON);
    eventually("the supervisor to be undeployed", () -> !vertx.deploymentIDs().contains(id));
    assertThat(vertx.deploymentIDs()).isEmpty();
    assertThat(world.answers("x")).isFalse();
  }
}
