package io.todocluster.todo;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.Addresses;
import io.todocluster.node.Node;
import io.todocluster.store.StoredList;
import io.todocluster.store.TodoStore;
import io.todocluster.supervision.SupervisorEvents;
import io.todocluster.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("List processes on one node")
class TodoProcessTest {

  @TempDir
  static Path dataDir;
  static Node node;
  static EventBus bus;

  @BeforeAll
  static void startNode() {
    node = TestNodes.start(TestNodes.config("process-test", dataDir, Duration.ofMillis(500)));
    bus = node.vertx().eventBus();
  }

  @AfterAll
  static void stopNode() {
    TestNodes.stop(node);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static Object command(JsonObject command) throws Exception {
    return await(bus.request(Addresses.TODO_COMMANDS, command)).body();
  }

  static JsonObject add(String list, String title) throws Exception {
    return (JsonObject) command(new JsonObject().put("op", "add").put("list", list).put("date", "2026-11-24").put("title", title));
  }

  static JsonArray entries(String list) throws Exception {
    return (JsonArray) command(new JsonObject().put("op", "entries").put("list", list));
  }

  static void crash(String list) throws Exception {
    assertThat(await(node.cache().crash(list))).as("a process of %s was there and crashed", list).isTrue();
  }

  static void awaitCondition(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  @DisplayName("todo.commands answers as the HTTP bodies, and bad commands fail with the HTTP status")
  void commandsOnTheEventBus() throws Exception {
    JsonObject entry = add("bus", "Dentist");
    assertThat(entry.getLong("id")).isEqualTo(1);
    assertThat(entries("bus")).containsExactly(entry);
    var error = org.assertj.core.api.Assertions.catchThrowable(() -> await(bus.request(Addresses.TODO_COMMANDS,
        new JsonObject().put("op", "add").put("list", "bus").put("date", "2026-02-30").put("title", "x"))));
    assertThat(error.getCause()).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) error.getCause()).failureCode()).isEqualTo(400);
    var notAnObject = org.assertj.core.api.Assertions.catchThrowable(() -> await(bus.request(Addresses.TODO_COMMANDS, "add")));
    assertThat(((ReplyException) notAnObject.getCause()).failureCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("a change is published on todo.events.{list}")
  void changeEvents() throws Exception {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    var consumer = bus.<JsonObject>consumer(Addresses.todoEvents("watched"), m -> events.add(m.body()));
    await(consumer.completion());
    try {
      JsonObject entry = add("watched", "Dentist");
      awaitCondition("the added event arrives", () -> !events.isEmpty());
      assertThat(events.get(0)).isEqualTo(new JsonObject().put("type", "added").put("list", "watched").put("entry", entry));
    } finally {
      await(consumer.unregister());
    }
  }

  @Test
  @DisplayName("a crashed list process is restarted and serves all of its entries")
  void crashAndRestart() throws Exception {
    add("fragile", "one");
    add("fragile", "two");
    String before = node.cache().supervisor().whereis("fragile");
    List<JsonObject> reports = new CopyOnWriteArrayList<>();
    var consumer = bus.<JsonObject>localConsumer(SupervisorEvents.DEFAULT_ADDRESS, m -> {
      if ("fragile".equals(m.body().getString("child"))) {
        reports.add(m.body());
      }
    });
    await(consumer.completion());
    try {
      crash("fragile");
      awaitCondition("the process is restarted", () -> reports.stream().anyMatch(r -> r.getString("event").equals("child_restarted")));
      assertThat(reports.get(0).getString("event")).isEqualTo("child_exited");
      assertThat(reports.get(0).getString("reason")).contains("crash requested");
      assertThat(node.cache().supervisor().whereis("fragile")).isNotNull().isNotEqualTo(before);
      assertThat(entries("fragile")).extracting(e -> ((JsonObject) e).getString("title")).containsExactly("one", "two");
    } finally {
      await(consumer.unregister());
    }
  }

  @Test
  @DisplayName("a list that crashes in a loop is given up alone; the other lists keep being served")
  void crashLoopIsIsolated() throws Exception {
    add("steady", "kept");
    add("poison", "kept too");
    List<JsonObject> reports = new CopyOnWriteArrayList<>();
    var consumer = bus.<JsonObject>localConsumer(SupervisorEvents.DEFAULT_ADDRESS, m -> reports.add(m.body()));
    await(consumer.completion());
    AtomicInteger steadyOk = new AtomicInteger();
    AtomicInteger steadyFailed = new AtomicInteger();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    long started = System.nanoTime();
    try {
      List<Future<?>> loops = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        loops.add(crashLoop(deadline));
      }
      loops.add(steadyLoop(deadline, steadyOk, steadyFailed));
      await(Future.all(loops));
      double seconds = (System.nanoTime() - started) / 1e9;
      long incarnations = reports.stream().filter(r -> "poison".equals(r.getString("child")))
          .filter(r -> r.getString("event").equals("child_started") || r.getString("event").equals("child_restarted")).count();
      org.slf4j.LoggerFactory.getLogger(TodoProcessTest.class).info(
          "crash loop: {} incarnations of the poison list in {} s ({} crashes/s); steady list: {} ok, {} failed",
          incarnations, String.format("%.1f", seconds), Math.round(incarnations / seconds), steadyOk.get(), steadyFailed.get());

      assertThat(steadyFailed.get()).as("requests to another list that failed").isZero();
      assertThat(steadyOk.get()).isPositive();
      assertThat(reports).as("the crashing list exceeded its own intensity and was given up")
          .anyMatch(r -> r.getString("event").equals("intensity_exceeded") && "poison".equals(r.getString("child")));
      assertThat(reports).as("the lists' supervisor itself never gave up")
          .noneMatch(r -> r.getString("event").equals("shutdown"));
      assertThat(entries("poison")).as("the crashing list still has its entries").hasSize(1);
      assertThat(entries("steady")).hasSize(1);
    } finally {
      await(consumer.unregister());
    }
  }

  /** Starts the poison list's process (a new one once it was given up) and crashes it, until the deadline. */
  private static Future<Void> crashLoop(long deadline) {
    return repeatUntil(deadline, () -> node.cache().ensureRunning("poison")
        .compose(v -> node.cache().crash("poison")));
  }

  private static Future<Void> steadyLoop(long deadline, AtomicInteger ok, AtomicInteger failed) {
    return repeatUntil(deadline, () -> bus.request(Addresses.TODO_COMMANDS, new JsonObject().put("op", "entries").put("list", "steady"))
        .onSuccess(m -> ok.incrementAndGet())
        .onFailure(e -> failed.incrementAndGet()));
  }

  /** Runs one step after the other until the deadline; each step starts afresh on the event loop, not on a growing stack. */
  private static Future<Void> repeatUntil(long deadline, java.util.function.Supplier<Future<?>> step) {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (System.nanoTime() > deadline) {
        done.complete();
        return;
      }
      step.get().onComplete(ar -> node.vertx().runOnContext(v -> next[0].run()));
    };
    node.vertx().runOnContext(v -> next[0].run());
    return done.future();
  }

  @Test
  @DisplayName("an idle list process ends normally and is not restarted; the next request starts it again")
  void idleExpiry() throws Exception {
    add("sleepy", "zzz");
    String first = node.cache().supervisor().whereis("sleepy");
    assertThat(first).isNotNull();
    // until its undeploy completes, a stopping process still answers reads from what it holds
    awaitCondition("the idle process is undeployed", () -> !node.vertx().deploymentIDs().contains(first));
    assertThat(node.cache().supervisor().whereis("sleepy")).as("not restarted").isNull();
    assertThat(entries("sleepy")).hasSize(1);
    assertThat(node.cache().supervisor().whereis("sleepy")).isNotNull().isNotEqualTo(first);
  }

  /**
   * Another writer plays the process that a node elsewhere started for the list while placement
   * moved it: it takes the list over in the store and adds an entry. The process here still
   * holds the list, without that entry; a read that reaches it must not be answered from there.
   */
  @Test
  @DisplayName("a read that reaches a process whose list a newer writer took over is answered with the newer writer's entries")
  void readOfAFencedProcess() throws Exception {
    add("moved", "mine");
    String first = node.cache().supervisor().whereis("moved");
    TodoStore other = await(TodoStore.open(node.vertx(), cacheManager()));
    StoredList taken = await(Takeover.of("moved", other));
    Entry theirs = new Entry(2, java.time.LocalDate.parse("2026-11-24"), "theirs");
    assertThat(await(other.addEntry("moved", 2, StoredEntry.of(theirs, "their-key"), taken.meta().version() + 1)))
        .as("the other writer's add landed").isNull();

    assertThat(entries("moved")).extracting(e -> ((JsonObject) e).getString("title")).containsExactly("mine", "theirs");
    assertThat(node.cache().supervisor().whereis("moved")).as("the fenced process ended").isNotEqualTo(first);
  }

  private static org.infinispan.manager.EmbeddedCacheManager cacheManager() {
    return io.todocluster.cluster.ClusterManagerFactory.cacheManager((io.vertx.ext.cluster.infinispan.InfinispanClusterManager)
        ((io.vertx.core.internal.VertxInternal) node.vertx()).clusterManager());
  }
}
