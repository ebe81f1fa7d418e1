package io.todocluster.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.supervision.TestChildren.World;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The reports a supervisor publishes on the event bus. */
@ExtendWith(VertxExtension.class)
class SupervisorEventsTest {

  @Test
  @DisplayName("a crash produces child_exited then child_restarted on the default address")
  void crashEventsOnDefaultAddress(Vertx vertx, VertxTestContext ctx) {
    World world = new World(vertx);
    Supervisor sup = new Supervisor("sup", Strategy.ONE_FOR_ONE, RestartIntensity.defaults(),
        List.of(ChildSpec.worker("a", world.worker("a"))));
    expectCrashReports(vertx, ctx, world, sup, SupervisorEvents.DEFAULT_ADDRESS);
  }

  @Test
  @DisplayName("a crash produces child_exited then child_restarted on the address the supervisor was given")
  void crashEventsOnGivenAddress(Vertx vertx, VertxTestContext ctx) {
    World world = new World(vertx);
    String address = world.prefix + ".events";
    Supervisor sup = new Supervisor("sup", Strategy.ONE_FOR_ONE, RestartIntensity.defaults(),
        List.of(ChildSpec.worker("a", world.worker("a"))), address);
    expectCrashReports(vertx, ctx, world, sup, address);
  }

  @Test
  @DisplayName("a dynamic supervisor reports a crash the same way")
  void dynamicSupervisorCrashEvents(Vertx vertx, VertxTestContext ctx) {
    World world = new World(vertx);
    DynamicSupervisor sup = new DynamicSupervisor("sup", RestartIntensity.defaults(), 5);
    Checkpoint exited = ctx.checkpoint();
    Checkpoint restarted = ctx.checkpoint();
    Checkpoint undeployed = ctx.checkpoint();
    List<String> seen = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(SupervisorEvents.DEFAULT_ADDRESS, message -> {
      JsonObject event = message.body();
      seen.add(event.getString("event"));
      ctx.verify(() -> {
        if (SupervisorEvents.CHILD_EXITED.equals(event.getString("event"))) {
          assertThat(event.getString("child")).isEqualTo("a");
          exited.flag();
        } else if (SupervisorEvents.CHILD_RESTARTED.equals(event.getString("event"))) {
          assertThat(seen).containsSubsequence(SupervisorEvents.CHILD_EXITED, SupervisorEvents.CHILD_RESTARTED);
          restarted.flag();
          vertx.undeploy(sup.deploymentID()).onComplete(ctx.succeeding(v -> undeployed.flag()));
        }
      });
    }).completion()
        .compose(v -> vertx.deployVerticle(sup))
        .compose(id -> sup.startChild(ChildSpec.worker("a", world.worker("a"))))
        .onComplete(ctx.succeeding(a -> world.crash("a")));
  }

  private static void expectCrashReports(Vertx vertx, VertxTestContext ctx, World world, Supervisor sup, String address) {
    Checkpoint exited = ctx.checkpoint();
    Checkpoint restarted = ctx.checkpoint();
    Checkpoint undeployed = ctx.checkpoint();
    List<JsonObject> reports = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(address, message -> {
      JsonObject event = message.body();
      if (!"a".equals(event.getString("child")) || SupervisorEvents.CHILD_STARTED.equals(event.getString("event"))
          || SupervisorEvents.CHILD_TERMINATED.equals(event.getString("event"))) {
        return;
      }
      reports.add(event);
      ctx.verify(() -> {
        assertThat(event.getString("supervisor")).isEqualTo("sup");
        switch (reports.size()) {
          case 1 -> {
            assertThat(event.getString("event")).isEqualTo(SupervisorEvents.CHILD_EXITED);
            assertThat(event.getString("kind")).isEqualTo("abnormal");
            assertThat(event.getString("reason")).contains("IllegalStateException", "boom in a");
            exited.flag();
          }
          case 2 -> {
            assertThat(event.getString("event")).isEqualTo(SupervisorEvents.CHILD_RESTARTED);
            assertThat(event.getInteger("restarts")).isEqualTo(1);
            assertThat(event.getString("deploymentId")).isNotNull();
            restarted.flag();
            vertx.undeploy(sup.deploymentID()).onComplete(ctx.succeeding(v -> undeployed.flag()));
          }
          default -> ctx.failNow("unexpected report " + event);
        }
      });
    }).completion()
        .compose(v -> vertx.deployVerticle(sup))
        .onComplete(ctx.succeeding(id -> world.crash("a")));
  }
}
