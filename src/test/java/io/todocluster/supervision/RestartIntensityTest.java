package io.todocluster.supervision;

import static io.todocluster.supervision.TestChildren.await;
import static io.todocluster.supervision.TestChildren.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.supervision.TestChildren.EventProbe;
import io.todocluster.supervision.TestChildren.World;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** OTP's restart intensity: more than maxRestarts restarts within period, and the supervisor gives up. */
@ExtendWith(VertxExtension.class)
class RestartIntensityTest {

  private World world;
  private EventProbe probe;
  private String events;

  @BeforeEach
  void setUp(Vertx vertx) {
    world = new World(vertx);
    events = world.prefix + ".events";
    probe = new EventProbe(vertx, events);
  }

  private Supervisor supervisor(String name, RestartIntensity intensity, String... workers) {
    return new Supervisor(name, Strategy.ONE_FOR_ONE, intensity,
        java.util.Arrays.stream(workers).map(w -> ChildSpec.worker(w, world.worker(w))).toList(), events);
  }

  @Test
  @DisplayName("3 crashes within the period are restarted; the 4th stops all children in reverse order and the supervisor exits")
  void fourthCrashWithinPeriod(Vertx vertx) {
    Supervisor sup = supervisor("sup", new RestartIntensity(3, Duration.ofSeconds(10)), "a", "b", "c");
    String id = await(vertx.deployVerticle(sup));

    for (int n = 1; n <= 3; n++) {
      world.crash("b");
      probe.await("sup", SupervisorEvents.CHILD_RESTARTED, "b", n);
    }
    assertThat(world.starts("b")).isEqualTo(4);
    int mark = world.log.size();

    world.crash("b");
    ExitReason reason = await(sup.terminated());

    assertThat(reason.isAbnormal()).isTrue();
    assertThat(reason.description()).isEqualTo(Supervisor.MAX_INTENSITY_REASON);
    assertThat(world.logSince(mark)).containsExactly("stop:b", "stop:c", "stop:a");
    probe.await("sup", SupervisorEvents.INTENSITY_EXCEEDED, "b", 1);
    assertThat(probe.eventsAbout("sup", "b")).filteredOn(SupervisorEvents.CHILD_RESTARTED::equals).hasSize(3);
    eventually("the supervisor and its children to be undeployed", () -> !vertx.deploymentIDs().contains(id));
    assertThat(vertx.deploymentIDs()).isEmpty();
  }

  @Test
  @DisplayName("crashes spread wider than the period never exceed the intensity")
  void crashesSpreadBeyondThePeriod(Vertx vertx) {
    Duration period = Duration.ofMillis(300);
    Supervisor sup = supervisor("sup", new RestartIntensity(3, period), "a");
    String id = await(vertx.deployVerticle(sup));

    // 6 crashes, at least 110 ms apart: any 4 of them span more than 300 ms
    for (int n = 1; n <= 6; n++) {
      world.crash("a");
      probe.await("sup", SupervisorEvents.CHILD_RESTARTED, "a", n);
      await(vertx.timer(110));
    }

    assertThat(sup.terminated().isComplete()).isFalse();
    assertThat(await(sup.whichChildren())).singleElement()
        .satisfies(a -> assertThat(a.restarts()).isEqualTo(6))
        .satisfies(a -> assertThat(a.deploymentId()).isEqualTo(world.ping("a")));
    assertThat(probe.eventsAbout("sup", "a")).doesNotContain(SupervisorEvents.INTENSITY_EXCEEDED);
    await(vertx.undeploy(id));
  }

  @Test
  @DisplayName("a restart window that slides past old crashes forgives them, but a burst within it still exceeds it")
  void slidingWindow(Vertx vertx) {
    Supervisor sup = supervisor("sup", new RestartIntensity(1, Duration.ofMillis(400)), "a");
    await(vertx.deployVerticle(sup));

    world.crash("a");
    probe.await("sup", SupervisorEvents.CHILD_RESTARTED, "a", 1);
    await(vertx.timer(500)); // the first restart falls out of the window
    world.crash("a");
    probe.await("sup", SupervisorEvents.CHILD_RESTARTED, "a", 2);
    world.crash("a"); // the second restart is still within the window

    assertThat(await(sup.terminated()).description()).isEqualTo(Supervisor.MAX_INTENSITY_REASON);
    eventually("the root supervisor to be undeployed", () -> vertx.deploymentIDs().isEmpty());
  }

  @Test
  @DisplayName("a root supervisor that exceeds its intensity completes terminated() with the abnormal reason and is undeployed")
  void rootSupervisorGivesUp(Vertx vertx) {
    Supervisor sup = supervisor("root", new RestartIntensity(0, Duration.ofSeconds(5)), "a");
    String id = await(vertx.deployVerticle(sup));
    String a = world.ping("a");

    world.crash("a");

    ExitReason reason = await(sup.terminated());
    assertThat(reason.kind()).isEqualTo(ExitReason.Kind.ABNORMAL);
    assertThat(reason.description()).isEqualTo(Supervisor.MAX_INTENSITY_REASON);
    JsonObject shutdown = probe.await("root", SupervisorEvents.SHUTDOWN, null, 1);
    assertThat(shutdown.getString("kind")).isEqualTo("abnormal");
    eventually("the root supervisor to be undeployed", () -> !vertx.deploymentIDs().contains(id));
    assertThat(vertx.deploymentIDs()).doesNotContain(a).isEmpty();
    assertThat(world.answers("a")).isFalse();
  }

  @Test
  @DisplayName("a child supervisor that exceeds its intensity exits abnormally and its parent restarts it, children and all")
  void escalationToTheParent(Vertx vertx) {
    List<Supervisor> mids = new java.util.concurrent.CopyOnWriteArrayList<>();
    ChildSpec mid = ChildSpec.supervisor("mid", () -> {
      Supervisor s = supervisor("mid", new RestartIntensity(1, Duration.ofSeconds(5)), "w");
      mids.add(s);
      return s;
    });
    Supervisor top = new Supervisor("top", Strategy.ONE_FOR_ONE, RestartIntensity.defaults(),
        List.of(ChildSpec.worker("n", world.worker("n")), mid), events);
    String id = await(vertx.deployVerticle(top));
    String midBefore = await(top.whichChildren()).get(1).deploymentId();
    String n = world.ping("n");

    world.crash("w");
    probe.await("mid", SupervisorEvents.CHILD_RESTARTED, "w", 1);
    world.crash("w"); // the 2nd restart within 5 s is one too many for mid

    JsonObject exited = probe.await("top", SupervisorEvents.CHILD_EXITED, "mid", 1);
    probe.await("top", SupervisorEvents.CHILD_RESTARTED, "mid", 1);

    assertThat(exited.getString("kind")).isEqualTo("abnormal");
    assertThat(exited.getString("reason")).isEqualTo(Supervisor.MAX_INTENSITY_REASON);
    assertThat(mids).hasSize(2);
    assertThat(await(mids.get(0).terminated()).description()).isEqualTo(Supervisor.MAX_INTENSITY_REASON);
    assertThat(mids.get(1).terminated().isComplete()).isFalse();
    ChildInfo midAfter = await(top.whichChildren()).get(1);
    assertThat(midAfter.deploymentId()).isNotNull().isNotEqualTo(midBefore);
    assertThat(midAfter.restarts()).isEqualTo(1);
    assertThat(vertx.deploymentIDs()).doesNotContain(midBefore);
    // the new mid started its own child again; the sibling of mid was left alone
    assertThat(world.starts("w")).isEqualTo(3);
    assertThat(await(mids.get(1).whichChildren()).get(0).deploymentId()).isEqualTo(world.ping("w"));
    assertThat(world.ping("n")).isEqualTo(n);

    await(vertx.undeploy(id));
    assertThat(vertx.deploymentIDs()).isEmpty();
    assertThat(await(top.terminated())).isEqualTo(ExitReason.SHUTDOWN);
  }
}
