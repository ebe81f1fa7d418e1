package io.todocluster.supervision;

import static io.todocluster.supervision.TestChildren.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.supervision.TestChildren.EventProbe;
import io.todocluster.supervision.TestChildren.World;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OTP's restart types: permanent children always come back, transient ones only after an
 * abnormal exit, temporary ones never (and their spec goes away).
 */
@ExtendWith(VertxExtension.class)
class RestartTypeTest {

  private World world;
  private EventProbe probe;

  @BeforeEach
  void setUp(Vertx vertx) {
    world = new World(vertx);
    probe = new EventProbe(vertx, world.prefix + ".events");
  }

  /** A one_for_one supervisor over a neighbour "n" and the child "x" under test. */
  private Supervisor supervisor(Restart restart) {
    return new Supervisor("sup", Strategy.ONE_FOR_ONE, RestartIntensity.defaults(), List.of(
        ChildSpec.worker("n", world.worker("n")),
        ChildSpec.worker("x", world.worker("x")).withRestart(restart)), world.prefix + ".events");
  }

  private static ChildInfo child(Supervisor sup, String id) {
    return await(sup.whichChildren()).stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
  }

  @Test
  @DisplayName("a permanent child that crashes is restarted")
  void permanentAfterCrash(Vertx vertx) {
    Supervisor sup = supervisor(Restart.PERMANENT);
    String id = await(vertx.deployVerticle(sup));
    String before = world.ping("x");

    world.crash("x");
    JsonObject exited = probe.await("sup", SupervisorEvents.CHILD_EXITED, "x", 1);
    probe.await("sup", SupervisorEvents.CHILD_RESTARTED, "x", 1);

    assertThat(exited.getString("kind")).isEqualTo("abnormal");
    assertThat(exited.getString("reason")).contains("boom in x");
    assertThat(child(sup, "x").deploymentId()).isNotEqualTo(before).isEqualTo(world.ping("x"));
    assertThat(child(sup, "x").restarts()).isEqualTo(1);
    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("a permanent child that exits normally is restarted")
  void permanentAfterNormalExit(Vertx vertx) {
    Supervisor sup = supervisor(Restart.PERMANENT);
    String id = await(vertx.deployVerticle(sup));

    world.exitNormally("x");
    JsonObject exited = probe.await("sup", SupervisorEvents.CHILD_EXITED, "x", 1);
    probe.await("sup", SupervisorEvents.CHILD_RESTARTED, "x", 1);

    assertThat(exited.getString("kind")).isEqualTo("normal");
    assertThat(world.starts("x")).isEqualTo(2);
    assertThat(child(sup, "x").running()).isTrue();
    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("a transient child that crashes is restarted")
  void transientAfterCrash(Vertx vertx) {
    Supervisor sup = supervisor(Restart.TRANSIENT);
    String id = await(vertx.deployVerticle(sup));

    world.crash("x");
    probe.await("sup", SupervisorEvents.CHILD_RESTARTED, "x", 1);

    assertThat(world.starts("x")).isEqualTo(2);
    assertThat(child(sup, "x").deploymentId()).isEqualTo(world.ping("x"));
    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("a transient child that exits normally is not restarted, and stays listed as not running")
  void transientAfterNormalExit(Vertx vertx) {
    Supervisor sup = supervisor(Restart.TRANSIENT);
    String id = await(vertx.deployVerticle(sup));
    String deployment = world.ping("x");

    world.exitNormally("x");
    probe.await("sup", SupervisorEvents.CHILD_EXITED, "x", 1);

    // the supervisor answers which_children only once it has dealt with the exit
    ChildInfo x = child(sup, "x");
    assertThat(x).isNotNull();
    assertThat(x.running()).isFalse();
    assertThat(x.restarts()).isZero();
    assertThat(vertx.deploymentIDs()).doesNotContain(deployment);
    assertThat(world.starts("x")).isEqualTo(1);
    assertThat(probe.eventsAbout("sup", "x")).doesNotContain(SupervisorEvents.CHILD_RESTARTED);
    assertThat(child(sup, "n").running()).isTrue();
    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("a temporary child that crashes is not restarted and leaves which_children")
  void temporaryAfterCrash(Vertx vertx) {
    Supervisor sup = supervisor(Restart.TEMPORARY);
    String id = await(vertx.deployVerticle(sup));
    String deployment = world.ping("x");

    world.crash("x");
    probe.await("sup", SupervisorEvents.CHILD_EXITED, "x", 1);

    assertThat(await(sup.whichChildren())).extracting(ChildInfo::id).containsExactly("n");
    assertThat(await(sup.countChildren())).isEqualTo(new ChildCount(1, 1, 0, 1));
    assertThat(vertx.deploymentIDs()).doesNotContain(deployment);
    assertThat(world.starts("x")).isEqualTo(1);
    assertThat(world.answers("x")).isFalse();
    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("a temporary child that exits normally is not restarted and leaves which_children")
  void temporaryAfterNormalExit(Vertx vertx) {
    Supervisor sup = supervisor(Restart.TEMPORARY);
    String id = await(vertx.deployVerticle(sup));

    world.exitNormally("x");
    probe.await("sup", SupervisorEvents.CHILD_EXITED, "x", 1);

    assertThat(await(sup.whichChildren())).extracting(ChildInfo::id).containsExactly("n");
    assertThat(world.starts("x")).isEqualTo(1);
    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("a child undeployed behind its supervisor's back is treated as an abnormal exit and restarted")
  void undeployedBehindTheBack(Vertx vertx) {
    Supervisor sup = supervisor(Restart.TRANSIENT);
    String id = await(vertx.deployVerticle(sup));
    String before = world.ping("x");

    await(vertx.undeploy(before));
    JsonObject exited = probe.await("sup", SupervisorEvents.CHILD_EXITED, "x", 1);
    probe.await("sup", SupervisorEvents.CHILD_RESTARTED, "x", 1);

    assertThat(exited.getString("kind")).isEqualTo("abnormal");
    String after = child(sup, "x").deploymentId();
    assertThat(after).isNotNull().isNotEqualTo(before).isEqualTo(world.ping("x"));
    assertThat(vertx.deploymentIDs()).doesNotContain(before);
    await(vertx.undeploy(id));
  }
}
