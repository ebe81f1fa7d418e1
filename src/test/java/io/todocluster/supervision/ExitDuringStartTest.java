package io.todocluster.supervision;

import static io.todocluster.supervision.TestChildren.await;
import static io.todocluster.supervision.TestChildren.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.supervision.TestChildren.EventProbe;
import io.todocluster.supervision.TestChildren.World;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An exit that reaches the supervisor while the child's deployment is still completing must not
 * be lost: in OTP the EXIT message simply waits in the supervisor's mailbox.
 */
@ExtendWith(VertxExtension.class)
class ExitDuringStartTest {

  private World world;
  private EventProbe probe;
  private String events;

  @BeforeEach
  void setUp(Vertx vertx) {
    world = new World(vertx);
    events = world.prefix + ".events";
    probe = new EventProbe(vertx, events);
  }

  @RepeatedTest(5)
  @DisplayName("a static supervisor's child that crashes right after its start is restarted")
  void staticCrashRightAfterStart(Vertx vertx) {
    Supervisor sup = new Supervisor("sup", Strategy.ONE_FOR_ONE, RestartIntensity.defaults(),
        List.of(ChildSpec.worker("x", world.crashingRightAfterFirstStart("x"))), events);
    String id = await(vertx.deployVerticle(sup));

    probe.await("sup", SupervisorEvents.CHILD_RESTARTED, "x", 1);
    assertThat(await(sup.whichChildren()).get(0).deploymentId()).isEqualTo(world.ping("x"));
    await(vertx.undeploy(id));
  }

  @RepeatedTest(5)
  @DisplayName("a static supervisor's transient child that exits normally during its start ends")
  void staticExitDuringStart(Vertx vertx) {
    Supervisor sup = new Supervisor("sup", Strategy.ONE_FOR_ONE, RestartIntensity.defaults(),
        List.of(ChildSpec.worker("x", world.exitingDuringFirstStart("x")).withRestart(Restart.TRANSIENT)), events);
    String id = await(vertx.deployVerticle(sup));

    probe.await("sup", SupervisorEvents.CHILD_EXITED, "x", 1);
    assertThat(await(sup.whichChildren()).get(0).running()).isFalse();
    assertThat(world.answers("x")).isFalse();
    await(vertx.undeploy(id));
  }

  @RepeatedTest(5)
  @DisplayName("a dynamic supervisor's child that crashes right after its start is restarted")
  void dynamicCrashRightAfterStart(Vertx vertx) {
    DynamicSupervisor sup = new DynamicSupervisor("dyn", RestartIntensity.defaults(), 10, events);
    String id = await(vertx.deployVerticle(sup));

    await(sup.startChild(ChildSpec.worker("x", world.crashingRightAfterFirstStart("x"))));

    probe.await("dyn", SupervisorEvents.CHILD_RESTARTED, "x", 1);
    eventually("x to run again", () -> sup.whereis("x") != null && world.starts("x") == 2);
    assertThat(sup.whereis("x")).isEqualTo(world.ping("x"));
    await(vertx.undeploy(id));
  }

  @RepeatedTest(5)
  @DisplayName("a dynamic supervisor's transient child that exits normally during its start is forgotten")
  void dynamicExitDuringStart(Vertx vertx) {
    DynamicSupervisor sup = new DynamicSupervisor("dyn", RestartIntensity.defaults(), 10, events);
    String id = await(vertx.deployVerticle(sup));

    await(sup.startChild(ChildSpec.worker("x", world.exitingDuringFirstStart("x")).withRestart(Restart.TRANSIENT)));

    probe.await("dyn", SupervisorEvents.CHILD_EXITED, "x", 1);
    eventually("x to be forgotten", () -> sup.size() == 0);
    assertThat(world.answers("x")).isFalse();
    await(vertx.undeploy(id));
  }
}
