package io.todocluster.supervision;

import static io.todocluster.supervision.TestChildren.await;
import static io.todocluster.supervision.TestChildren.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.supervision.TestChildren.World;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** OTP's which_children, count_children, terminate_child and restart_child on a static supervisor. */
@ExtendWith(VertxExtension.class)
class AdminApiTest {

  private World world;
  private Supervisor sup;
  private String id;

  @BeforeEach
  void setUp(Vertx vertx) {
    world = new World(vertx);
    ChildSpec inner = ChildSpec.supervisor("inner", () -> new Supervisor("inner", Strategy.ONE_FOR_ONE,
        RestartIntensity.defaults(), List.of(ChildSpec.worker("w", world.worker("w")))));
    sup = new Supervisor("sup", Strategy.ONE_FOR_ONE, RestartIntensity.defaults(), List.of(
        ChildSpec.worker("a", world.worker("a")),
        inner,
        ChildSpec.worker("t", world.worker("t")).withRestart(Restart.TEMPORARY)));
    id = await(vertx.deployVerticle(sup));
  }

  @Test
  @DisplayName("which_children lists every child in start order with its running deployment")
  void whichChildren(Vertx vertx) {
    List<ChildInfo> children = await(sup.whichChildren());

    assertThat(children).extracting(ChildInfo::id).containsExactly("a", "inner", "t");
    assertThat(children).extracting(ChildInfo::restart)
        .containsExactly(Restart.PERMANENT, Restart.PERMANENT, Restart.TEMPORARY);
    assertThat(children).extracting(ChildInfo::supervisor).containsExactly(false, true, false);
    assertThat(children).allSatisfy(c -> {
      assertThat(c.running()).isTrue();
      assertThat(vertx.deploymentIDs()).contains(c.deploymentId());
      assertThat(c.restarts()).isZero();
    });
    assertThat(children.get(0).deploymentId()).isEqualTo(world.ping("a"));
    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("count_children counts specs, running children, supervisors and workers")
  void countChildren(Vertx vertx) {
    assertThat(await(sup.countChildren())).isEqualTo(new ChildCount(3, 3, 1, 2));

    await(sup.terminateChild("a"));

    assertThat(await(sup.countChildren())).isEqualTo(new ChildCount(3, 2, 1, 2));
    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("a terminated child stays listed, not running, and is not restarted")
  void terminateChild(Vertx vertx) {
    String a = world.ping("a");

    await(sup.terminateChild("a"));

    ChildInfo info = await(sup.whichChildren()).get(0);
    assertThat(info.id()).isEqualTo("a");
    assertThat(info.running()).isFalse();
    assertThat(info.restarts()).isZero();
    assertThat(vertx.deploymentIDs()).doesNotContain(a);
    assertThat(world.answers("a")).isFalse();
    assertThat(world.log.snapshot()).containsSubsequence("start:a", "stop:a").doesNotHaveDuplicates();
    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("terminating a temporary child removes it from which_children")
  void terminateTemporaryChild(Vertx vertx) {
    await(sup.terminateChild("t"));

    assertThat(await(sup.whichChildren())).extracting(ChildInfo::id).containsExactly("a", "inner");
    assertThat(awaitFailure(sup.restartChild("t"))).isInstanceOf(NoSuchElementException.class);
    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("restart_child starts a terminated child again, and refuses a running one")
  void restartChild(Vertx vertx) {
    String before = world.ping("a");
    await(sup.terminateChild("a"));

    await(sup.restartChild("a"));

    ChildInfo info = await(sup.whichChildren()).get(0);
    assertThat(info.deploymentId()).isNotNull().isNotEqualTo(before).isEqualTo(world.ping("a"));
    assertThat(world.starts("a")).isEqualTo(2);
    assertThat(awaitFailure(sup.restartChild("a"))).isInstanceOf(IllegalStateException.class).hasMessageContaining("running");
    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("terminating a child supervisor stops its children too; restarting it brings them back")
  void terminateAndRestartChildSupervisor(Vertx vertx) {
    String w = world.ping("w");

    await(sup.terminateChild("inner"));
    assertThat(vertx.deploymentIDs()).doesNotContain(w);
    assertThat(world.answers("w")).isFalse();

    await(sup.restartChild("inner"));
    assertThat(world.ping("w")).isNotEqualTo(w);
    await(vertx.undeploy(id));
    assertThat(vertx.deploymentIDs()).isEmpty();
  }

  @Test
  @DisplayName("the admin API answers NoSuchElementException for an unknown child")
  void unknownChild(Vertx vertx) {
    assertThat(awaitFailure(sup.terminateChild("nope"))).isInstanceOf(NoSuchElementException.class);
    assertThat(awaitFailure(sup.restartChild("nope"))).isInstanceOf(NoSuchElementException.class);
    await(vertx.undeploy(id));
  }
}
