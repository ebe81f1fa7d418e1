package io.todocluster.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.fuzz.BridgeInputs.Input;
import io.todocluster.fuzz.RawFrames.Exchange;
import io.todocluster.node.Node;
import io.todocluster.support.TestNodes;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@DisplayName("Fuzzed frames to the TCP event bus bridge of a running node")
class BridgeFrameFuzzTest {

  private static final Logger log = LoggerFactory.getLogger(BridgeFrameFuzzTest.class);
  /** A few seconds' worth in mvn verify; -Dtodo.fuzz.inputs for a long run. */
  private static final int REGRESSION_INPUTS = 400;
  /** A complete input must be answered (the pong after it) or closed within this. */
  private static final Duration ANSWER_BOUND = Duration.ofSeconds(10);
  /** An incomplete one may rightly be waited on: this long, then the client gives up. */
  private static final Duration WAIT_BOUND = Duration.ofMillis(150);
  private static final int CLIENTS = 4;

  @TempDir
  static Path dataDir;
  static Node node;
  static int bridgePort;

  @BeforeAll
  static void startNode() {
    bridgePort = TestNodes.freePort();
    node = TestNodes.start(TestNodes.config("bridge-fuzz", dataDir).toBuilder().bridgePort(bridgePort).build());
  }

  @AfterAll
  static void stopNode() {
    TestNodes.stop(node);
  }

  @Test
  @DisplayName("every input is answered or its connection closed, nothing escapes a handler, and the bridge and node keep serving")
  void survivesHostileFrames() throws Exception {
    FuzzRun run = FuzzRun.of("bridge", REGRESSION_INPUTS);
    ConcurrentLinkedQueue<String> hung = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> unreadable = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> serverErrors = new ConcurrentLinkedQueue<>();
    Map<String, LongAdder> kinds = new ConcurrentHashMap<>();
    Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    int[] indexes = run.indexes();
    long started = System.nanoTime();

    try (UncaughtExceptions uncaught = UncaughtExceptions.on(node)) {
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> workers = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        workers.add(clients.submit(() -> {
          for (int n = next.getAndIncrement(); n < indexes.length; n = next.getAndIncrement()) {
            int i = indexes[n];
            Input input = BridgeInputs.next(run.random(i));
            kinds.computeIfAbsent(input.kind(), k -> new LongAdder()).increment();
            Exchange exchange;
            try {
              exchange = RawFrames.exchange(bridgePort, input.bytes(), input.framed() ? ANSWER_BOUND : WAIT_BOUND,
                  input.abandon());
            } catch (Exception e) {
              hung.add(run.replay(i) + ": could not connect or send: " + e);
              continue;
            }
            String what = run.replay(i) + " (" + input.kind() + "): " + excerpt(input.bytes()) + " -> " + exchange;
            String outcome = input.abandon() ? "abandoned" : exchange.ponged() ? "answered" : exchange.closed() ? "closed"
                : "waited";
            outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
            if (input.framed() && !exchange.ponged() && !exchange.closed()) {
              hung.add(what);
            }
            if (exchange.unreadable() != null) {
              unreadable.add(what);
            }
            for (JsonObject frame : exchange.frames()) {
              if (frame.getValue("failureCode") instanceof Integer code && code >= 500) {
                serverErrors.add(what);
              }
            }
          }
          return null;
        }));
      }
      clients.shutdown();
      assertThat(clients.awaitTermination(Math.max(10, indexes.length / 10), TimeUnit.SECONDS))
          .as("the fuzz run finished").isTrue();
      for (Future<?> worker : workers) {
        worker.get();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      log.info("fuzz bridge: {} inputs in {} s; kinds {}; outcomes {}; 5xx {}, hung {}, unreadable answers {}, uncaught {}",
          indexes.length, String.format("%.1f", seconds), new TreeMap<>(kinds), new TreeMap<>(outcomes),
          serverErrors.size(), hung.size(), unreadable.size(), uncaught.seen().size());

      assertThat(uncaught.seen()).as("exceptions that escaped a handler").isEmpty();
      assertThat(List.copyOf(hung)).as("complete inputs neither answered nor closed within " + ANSWER_BOUND).isEmpty();
      assertThat(List.copyOf(unreadable)).as("answers that are not frames").isEmpty();
      assertThat(List.copyOf(serverErrors)).as("err frames with a 5xx failure code").isEmpty();
    }
    if (!run.replaying()) {
      assertThat(outcomes.keySet()).as("the run reached both answers and refusals").contains("answered", "closed");
    }
    Exchange ping = RawFrames.exchange(bridgePort, new byte[0], ANSWER_BOUND, false);
    assertThat(ping.ponged()).as("a fresh connection's ping after the run is answered").isTrue();
    RawHttp.Exchange health = RawHttp.exchange(node.httpPort(),
        "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
        ANSWER_BOUND, false);
    assertThat(health.statuses()).as("/health after the run").containsExactly(200);
  }

  private static String excerpt(byte[] bytes) {
    String text = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.ISO_8859_1);
    return text.replace("\r", "\\r").replace("\n", "\\n");
  }
}
