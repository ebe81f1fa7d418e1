package io.todocluster.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.Addresses;
import io.todocluster.node.Node;
import io.todocluster.support.TestNodes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@DisplayName("Fuzzed command bodies on todo.commands")
class CommandBodyFuzzTest {

  private static final Logger log = LoggerFactory.getLogger(CommandBodyFuzzTest.class);
  /** A few seconds' worth in mvn verify; -Dtodo.fuzz.inputs for a long run. */
  private static final int REGRESSION_INPUTS = 1000;
  /** Requests in flight at once: enough to interleave commands on the same lists. */
  private static final int IN_FLIGHT = 16;
  /** The routing deadline (20 s) plus a margin: the service must have answered by then. */
  private static final long REPLY_TIMEOUT_MS = 30_000;

  @TempDir
  static Path dataDir;
  static Node node;

  @BeforeAll
  static void startNode() {
    node = TestNodes.start(TestNodes.config("bus-fuzz", dataDir));
  }

  @AfterAll
  static void stopNode() {
    TestNodes.stop(node);
  }

  @Test
  @DisplayName("every command is answered with a success or a 4xx failure, and nothing escapes a handler")
  void answersEveryCommand() throws Exception {
    FuzzRun run = FuzzRun.of("bus", REGRESSION_INPUTS);
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    Semaphore slots = new Semaphore(IN_FLIGHT);
    CountDownLatch done = new CountDownLatch(run.inputs);
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(REPLY_TIMEOUT_MS);
    long started = System.nanoTime();

    try (UncaughtExceptions uncaught = UncaughtExceptions.on(node)) {
      for (int i = 0; i < run.inputs; i++) {
        Object body = body(run.random(i));
        String what = run.replay(i) + ": " + abbreviate(String.valueOf(body));
        slots.acquire();
        node.vertx().eventBus().request(Addresses.TODO_COMMANDS, body, options).onComplete(ar -> {
          String outcome;
          if (ar.succeeded()) {
            outcome = "ok";
          } else if (ar.cause() instanceof ReplyException e && e.failureType() == ReplyFailure.RECIPIENT_FAILURE
              && e.failureCode() >= 400 && e.failureCode() < 500) {
            outcome = Integer.toString(e.failureCode());
          } else {
            outcome = "wrong";
            wrong.add(what + " -> " + ar.cause());
          }
          outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
          slots.release();
          done.countDown();
        });
      }
      assertThat(done.await(Math.max(60, run.inputs / 20), TimeUnit.SECONDS)).as("every command answered").isTrue();
      log.info("fuzz bus: {} commands in {} s; outcomes {}; 5xx or unanswered {}, uncaught {}", run.inputs,
          String.format("%.1f", (System.nanoTime() - started) / 1e9), new TreeMap<>(outcomes), wrong.size(),
          uncaught.seen().size());
      assertThat(List.copyOf(wrong)).as("commands answered with neither a success nor a 4xx").isEmpty();
      assertThat(uncaught.seen()).as("exceptions that escaped a handler").isEmpty();
    }
    assertThat(outcomes.keySet()).as("the run reached successes and refusals").contains("ok", "400");
    JsonObject add = new JsonObject().put("op", "add").put("list", "after-fuzz").put("date", "2026-11-22")
        .put("title", "still serving");
    JsonObject entry = (JsonObject) node.vertx().eventBus().request(Addresses.TODO_COMMANDS, add).await().body();
    assertThat(entry.getString("title")).isEqualTo("still serving");
  }

  /** Mostly commands that look almost right; also every other type a sender could put on the bus. */
  private static Object body(Random random) {
    return switch (random.nextInt(12)) {
      case 0 -> RandomJson.value(random, 3);
      case 1 -> RandomJson.array(random, 2);
      case 2 -> Buffer.buffer(RandomJson.string(random));
      case 3 -> RandomJson.object(random, 3);
      default -> RandomJson.command(random);
    };
  }

  private static String abbreviate(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}
