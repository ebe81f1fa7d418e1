package io.todocluster.supervision;

import static io.todocluster.supervision.TestChildren.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.supervision.TestChildren.EventProbe;
import io.todocluster.supervision.TestChildren.World;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** OTP's restart strategies: which children an abnormal exit takes down, and in which order they come back. */
@ExtendWith(VertxExtension.class)
class StrategyTest {

  private World world;
  private EventProbe probe;

  @BeforeEach
  void setUp(Vertx vertx) {
    world = new World(vertx);
    probe = new EventProbe(vertx, world.prefix + ".events");
  }

  private Supervisor supervisor(Strategy strategy, ChildSpec... children) {
    return new Supervisor("sup", strategy, RestartIntensity.defaults(), List.of(children), world.prefix + ".events");
  }

  private Supervisor supervisor(Strategy strategy, String... workers) {
    return supervisor(strategy, Stream.of(workers).map(w -> ChildSpec.worker(w, world.worker(w))).toArray(ChildSpec[]::new));
  }

  private static Map<String, String> deployments(Supervisor sup) {
    return await(sup.whichChildren()).stream().collect(Collectors.toMap(ChildInfo::id, ChildInfo::deploymentId));
  }

  @Test
  @DisplayName("one_for_one restarts only the crashed child")
  void oneForOne(Vertx vertx) {
    Supervisor sup = supervisor(Strategy.ONE_FOR_ONE, "a", "b", "c");
    String id = await(vertx.deployVerticle(sup));
    Map<String, String> before = deployments(sup);
    int mark = world.log.size();

    world.crash("b");
    probe.await("sup", SupervisorEvents.CHILD_RESTARTED, "b", 1);

    assertThat(world.logSince(mark)).containsExactly("stop:b", "start:b");
    Map<String, String> after = deployments(sup);
    assertThat(after.get("a")).isEqualTo(before.get("a"));
    assertThat(after.get("c")).isEqualTo(before.get("c"));
    assertThat(after.get("b")).isNotEqualTo(before.get("b")).isEqualTo(world.ping("b"));
    assertThat(List.of(world.starts("a"), world.starts("b"), world.starts("c"))).containsExactly(1, 2, 1);

    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("one_for_all stops the other children in reverse order, then restarts all of them in order")
  void oneForAll(Vertx vertx) {
    Supervisor sup = supervisor(Strategy.ONE_FOR_ALL, "a", "b", "c");
    String id = await(vertx.deployVerticle(sup));
    Map<String, String> before = deployments(sup);
    int mark = world.log.size();

    world.crash("b");
    probe.await("sup", SupervisorEvents.CHILD_RESTARTED, "c", 1);

    assertThat(world.logSince(mark))
        .containsExactly("stop:b", "stop:c", "stop:a", "start:a", "start:b", "start:c");
    Map<String, String> after = deployments(sup);
    for (String child : List.of("a", "b", "c")) {
      assertThat(after.get(child)).as(child).isNotEqualTo(before.get(child)).isEqualTo(world.ping(child));
      assertThat(world.starts(child)).as(child).isEqualTo(2);
    }

    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("rest_for_one restarts the crashed child and those after it, in order, and leaves the earlier ones alone")
  void restForOne(Vertx vertx) {
    Supervisor sup = supervisor(Strategy.REST_FOR_ONE, "a", "b", "c", "d");
    String id = await(vertx.deployVerticle(sup));
    Map<String, String> before = deployments(sup);
    int mark = world.log.size();

    world.crash("b");
    probe.await("sup", SupervisorEvents.CHILD_RESTARTED, "d", 1);

    assertThat(world.logSince(mark))
        .containsExactly("stop:b", "stop:d", "stop:c", "start:b", "start:c", "start:d");
    Map<String, String> after = deployments(sup);
    assertThat(after.get("a")).isEqualTo(before.get("a")).isEqualTo(world.ping("a"));
    assertThat(world.starts("a")).isEqualTo(1);
    for (String child : List.of("b", "c", "d")) {
      assertThat(after.get(child)).as(child).isNotEqualTo(before.get(child)).isEqualTo(world.ping(child));
      assertThat(world.starts(child)).as(child).isEqualTo(2);
    }

    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("one_for_all stops a temporary sibling for good: it is not restarted and leaves which_children")
  void oneForAllDropsTemporarySibling(Vertx vertx) {
    Supervisor sup = supervisor(Strategy.ONE_FOR_ALL,
        ChildSpec.worker("a", world.worker("a")),
        ChildSpec.worker("t", world.worker("t")).withRestart(Restart.TEMPORARY));
    String id = await(vertx.deployVerticle(sup));
    int mark = world.log.size();

    world.crash("a");
    probe.await("sup", SupervisorEvents.CHILD_RESTARTED, "a", 1);

    // which_children is answered after the whole restart, so the log is complete by then
    assertThat(await(sup.whichChildren())).extracting(ChildInfo::id).containsExactly("a");
    assertThat(world.logSince(mark)).containsExactly("stop:a", "stop:t", "start:a");
    assertThat(world.starts("t")).isEqualTo(1);
    assertThat(world.answers("t")).isFalse();

    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("rest_for_one stops a temporary child after the crashed one for good")
  void restForOneDropsTemporaryLaterSibling(Vertx vertx) {
    Supervisor sup = supervisor(Strategy.REST_FOR_ONE,
        ChildSpec.worker("a", world.worker("a")),
        ChildSpec.worker("b", world.worker("b")),
        ChildSpec.worker("t", world.worker("t")).withRestart(Restart.TEMPORARY));
    String id = await(vertx.deployVerticle(sup));
    int mark = world.log.size();

    world.crash("b");
    probe.await("sup", SupervisorEvents.CHILD_RESTARTED, "b", 1);

    assertThat(await(sup.whichChildren())).extracting(ChildInfo::id).containsExactly("a", "b");
    assertThat(world.logSince(mark)).containsExactly("stop:b", "stop:t", "start:b");
    assertThat(world.starts("t")).isEqualTo(1);

    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("one_for_all leaves the siblings alone when a transient child exits normally")
  void oneForAllIgnoresNormalExitOfTransient(Vertx vertx) {
    Supervisor sup = supervisor(Strategy.ONE_FOR_ALL,
        ChildSpec.worker("a", world.worker("a")),
        ChildSpec.worker("b", world.worker("b")).withRestart(Restart.TRANSIENT),
        ChildSpec.worker("c", world.worker("c")));
    String id = await(vertx.deployVerticle(sup));
    Map<String, String> before = deployments(sup);
    int mark = world.log.size();

    world.exitNormally("b");
    probe.await("sup", SupervisorEvents.CHILD_EXITED, "b", 1);

    List<ChildInfo> children = await(sup.whichChildren());
    assertThat(children).extracting(ChildInfo::id).containsExactly("a", "b", "c");
    assertThat(children.get(1).running()).isFalse();
    assertThat(children.get(0).deploymentId()).isEqualTo(before.get("a"));
    assertThat(children.get(2).deploymentId()).isEqualTo(before.get("c"));
    assertThat(world.logSince(mark)).containsExactly("stop:b");

    await(vertx.undeploy(id));
  }
}
