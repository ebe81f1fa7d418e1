package io.todocluster.supervision;

import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.AsyncResult;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Small verticles to supervise, and the waiting helpers the tests share. Every test makes its
 * own {@link World}: the children's event-bus addresses carry a unique prefix, and their starts
 * and stops are recorded, in order, in one {@link Journal}.
 */
final class TestChildren {

  /** The bound of every wait in these tests. */
  static final Duration WAIT = Duration.ofSeconds(5);

  private TestChildren() {
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out after " + WAIT, e);
    }
  }

  /** The failure of a future that is expected to fail. */
  static Throwable awaitFailure(Future<?> future) {
    AsyncResult<?> result = await(future.transform(Future::succeededFuture));
    if (result.succeeded()) {
      fail("expected a failure, got " + result.result());
    }
    return result.cause();
  }

  /** Polls a condition that has no event to wait on, until it holds or {@link #WAIT} has passed. */
  static void eventually(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** How a test verticle behaves. */
  enum Behaviour {
    NORMAL, FAILS_TO_START, NEVER_STOPS,
    /** The first incarnation exits normally from within its own start(). */
    EXITS_DURING_FIRST_START,
    /** The first incarnation crashes on its context as soon as its start() has returned. */
    CRASHES_RIGHT_AFTER_FIRST_START
  }

  /** The children of one test, and the means to poke them. */
  static final class World {
    final Vertx vertx;
    final String prefix = "test-" + UUID.randomUUID();
    /** "start:a", "stop:a", "failed:a" in the order they happened. */
    final Journal<String> log = new Journal<>();
    private final Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();

    World(Vertx vertx) {
      this.vertx = vertx;
    }

    String address(String child) {
      return prefix + "." + child;
    }

    Supplier<Deployable> worker(String name) {
      return () -> new Worker(this, name, Behaviour.NORMAL);
    }

    Supplier<Deployable> failingToStart(String name) {
      return () -> new Worker(this, name, Behaviour.FAILS_TO_START);
    }

    Supplier<Deployable> neverStopping(String name) {
      return () -> new Worker(this, name, Behaviour.NEVER_STOPS);
    }

    Supplier<Deployable> exitingDuringFirstStart(String name) {
      return () -> new Worker(this, name, Behaviour.EXITS_DURING_FIRST_START);
    }

    Supplier<Deployable> crashingRightAfterFirstStart(String name) {
      return () -> new Worker(this, name, Behaviour.CRASHES_RIGHT_AFTER_FIRST_START);
    }

    /** The child throws an uncaught exception on its own context. */
    void crash(String child) {
      vertx.eventBus().send(address(child), "crash");
    }

    void exitNormally(String child) {
      vertx.eventBus().send(address(child), "exit-normal");
    }

    /** The running incarnation's deployment id, from the child itself. */
    String ping(String child) {
      return TestChildren.await(vertx.eventBus().<String>request(address(child), "ping")).body();
    }

    /** Whether something still consumes the child's address. */
    boolean answers(String child) {
      return await(vertx.eventBus().request(address(child), "ping").transform(ar -> Future.succeededFuture(ar.succeeded())));
    }

    int starts(String child) {
      return starts.computeIfAbsent(child, k -> new AtomicInteger()).get();
    }

    /** The log entries recorded from {@code from} on. */
    List<String> logSince(int from) {
      return log.since(from);
    }

    /** Waits until the log has {@code count} more entries than at {@code from}, and returns those. */
    List<String> awaitLog(int from, int count) {
      return log.awaitUntil(count + " log entries after #" + from, items -> items.size() >= from + count)
          .subList(from, from + count);
    }
  }

  /**
   * A child that records its start and stop and obeys the messages "crash", "exit-normal" and
   * "ping" sent to its address.
   */
  static final class Worker extends VerticleBase {
    private final World world;
    private final String name;
    private final Behaviour behaviour;

    Worker(World world, String name, Behaviour behaviour) {
      this.world = world;
      this.name = name;
      this.behaviour = behaviour;
    }

    @Override
    public Future<?> start() {
      if (behaviour == Behaviour.FAILS_TO_START) {
        world.log.add("failed:" + name);
        return Future.failedFuture(new IllegalStateException(name + " cannot start"));
      }
      int incarnation = world.starts.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
      if (incarnation == 1 && behaviour == Behaviour.EXITS_DURING_FIRST_START) {
        Exit.normal(context);
      }
      if (incarnation == 1 && behaviour == Behaviour.CRASHES_RIGHT_AFTER_FIRST_START) {
        context.runOnContext(v -> {
          throw new IllegalStateException(name + " crashed right after its start");
        });
      }
      MessageConsumer<String> consumer = vertx.eventBus().consumer(world.address(name), message -> {
        switch (message.body()) {
          case "crash" -> throw new IllegalStateException("boom in " + name);
          case "exit-normal" -> Exit.normal(context);
          case "ping" -> message.reply(deploymentID());
          default -> message.fail(400, "unknown command " + message.body());
        }
      });
      return consumer.completion().onSuccess(v -> world.log.add("start:" + name));
    }

    @Override
    public Future<?> stop() {
      world.log.add("stop:" + name);
      return behaviour == Behaviour.NEVER_STOPS ? Promise.promise().future() : Future.succeededFuture();
    }
  }

  /** Collects the reports supervisors publish on one address. */
  static final class EventProbe {
    final Journal<JsonObject> events = new Journal<>();
    private final MessageConsumer<JsonObject> consumer;

    EventProbe(Vertx vertx, String address) {
      consumer = vertx.eventBus().consumer(address, message -> events.add(message.body()));
      TestChildren.await(consumer.completion());
    }

    /** Waits for the {@code nth} (1-based) report {@code event} about {@code child} by {@code supervisor}. */
    JsonObject await(String supervisor, String event, String child, int nth) {
      List<JsonObject> all = events.awaitUntil(supervisor + " " + event + " " + child + " #" + nth,
          items -> matching(items, supervisor, event, child).size() >= nth);
      return matching(all, supervisor, event, child).get(nth - 1);
    }

    /** The names of the events about {@code child} by {@code supervisor}, in order. */
    List<String> eventsAbout(String supervisor, String child) {
      return events.snapshot().stream()
          .filter(e -> supervisor.equals(e.getString("supervisor")) && java.util.Objects.equals(child, e.getString("child")))
          .map(e -> e.getString("event"))
          .toList();
    }

    void close() {
      TestChildren.await(consumer.unregister());
    }

    private static List<JsonObject> matching(List<JsonObject> items, String supervisor, String event, String child) {
      return items.stream()
          .filter(e -> supervisor.equals(e.getString("supervisor")) && event.equals(e.getString("event"))
              && java.util.Objects.equals(child, e.getString("child")))
          .toList();
    }
  }
}
