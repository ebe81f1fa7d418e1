package io.todocluster.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.fuzz.HttpInputs.Input;
import io.todocluster.fuzz.RawHttp.Exchange;
import io.todocluster.node.Node;
import io.todocluster.support.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@DisplayName("Fuzzed raw HTTP requests to a running node")
class HttpRequestFuzzTest {

  private static final Logger log = LoggerFactory.getLogger(HttpRequestFuzzTest.class);
  /** A few seconds' worth in mvn verify; -Dtodo.fuzz.inputs for a long run. */
  private static final int REGRESSION_INPUTS = 400;
  /** A complete request must be answered and closed well within this, far below the request timeout. */
  private static final Duration ANSWER_BOUND = Duration.ofSeconds(10);
  /** An incomplete one may rightly be waited on: this long, then the client gives up. */
  private static final Duration WAIT_BOUND = Duration.ofMillis(150);
  /** Clients at once: the node's two event loops stay busy while one client reads. */
  private static final int CLIENTS = 4;
  /** What an error body must not show: a stack trace or our and our libraries' class names. */
  private static final Pattern INTERNALS = Pattern.compile(
      "Exception|\\tat |io\\.vertx\\.|io\\.netty\\.|io\\.todocluster\\.|java\\.lang|org\\.infinispan");

  /** A 5xx status line anywhere in what came back (no body here can contain one: paths hold no spaces). */
  private static final Pattern SERVER_ERROR = Pattern.compile("HTTP/1\\.[01] (5\\d\\d) ");

  @TempDir
  static Path dataDir;
  static Node node;

  @BeforeAll
  static void startNode() {
    node = TestNodes.start(TestNodes.config("http-fuzz", dataDir));
  }

  @AfterAll
  static void stopNode() {
    TestNodes.stop(node);
  }

  @Test
  @DisplayName("no input gets a 5xx, a body with internals or a hang, nothing escapes a handler, and the node stays healthy")
  void survivesHostileRequests() throws Exception {
    FuzzRun run = FuzzRun.of("http", REGRESSION_INPUTS);
    ConcurrentLinkedQueue<String> serverErrors = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> hung = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> leaks = new ConcurrentLinkedQueue<>();
    Map<String, LongAdder> kinds = new ConcurrentHashMap<>();
    Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    LongAdder leftWaiting = new LongAdder();
    ConcurrentLinkedQueue<String> suspects = new ConcurrentLinkedQueue<>();
    int[] indexes = run.indexes();
    AtomicInteger next = new AtomicInteger();
    long started = System.nanoTime();

    try (UncaughtExceptions uncaught = UncaughtExceptions.on(node)) {
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> workers = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        workers.add(clients.submit(() -> {
          for (int n = next.getAndIncrement(); n < indexes.length; n = next.getAndIncrement()) {
            int i = indexes[n];
            Random random = run.random(i);
            int uncaughtBefore = uncaught.seen().size();
            Input input = HttpInputs.next(random);
            kinds.computeIfAbsent(input.kind(), k -> new LongAdder()).increment();
            Exchange exchange;
            try {
              exchange = RawHttp.exchange(node.httpPort(), input.bytes(),
                  input.framed() ? ANSWER_BOUND : WAIT_BOUND, input.abandon());
            } catch (Exception e) {
              hung.add(run.replay(i) + ": could not connect or send: " + e);
              continue;
            }
            exchange.statuses().forEach(s -> statuses.computeIfAbsent(s, k -> new LongAdder()).increment());
            String what = run.replay(i) + " (" + input.kind() + "): " + excerpt(input.bytes()) + " -> " + excerpt(exchange.text());
            if (uncaught.seen().size() > uncaughtBefore) {
              // it escaped while this input was in flight: one of the CLIENTS inputs then is the cause
              suspects.add(what);
            }
            // searched in all the bytes, not only in the answers framed: a 5xx cannot hide behind bad framing
            List<Integer> fives = SERVER_ERROR.matcher(exchange.text()).results()
                .map(m -> Integer.parseInt(m.group(1))).toList();
            if (!fives.isEmpty()) {
              serverErrors.add(what);
            }
            if (exchange.answers().stream().anyMatch(a -> a.status() >= 400 && INTERNALS.matcher(a.text()).find())) {
              leaks.add(what);
            }
            if (input.framed() && !exchange.closed()) {
              hung.add(what);
            } else if (!input.abandon() && !exchange.closed() && !exchange.answered()) {
              leftWaiting.increment();
            }
          }
          return null;
        }));
      }
      clients.shutdown();
      assertThat(clients.awaitTermination(Math.max(10, indexes.length / 10), TimeUnit.SECONDS))
          .as("the fuzz run finished").isTrue();
      for (Future<?> worker : workers) {
        worker.get(); // a generator's own bug fails the test here, not silently
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      log.info("fuzz http: {} inputs in {} s; kinds {}; statuses {}; 5xx {}, hung {}, leaks {}, uncaught {}, "
          + "incomplete inputs the server rightly waited on {}",
          indexes.length, String.format("%.1f", seconds), new TreeMap<>(kinds), new TreeMap<>(statuses),
          serverErrors.size(), hung.size(), leaks.size(), uncaught.seen().size(), leftWaiting.sum());
      suspects.forEach(s -> log.warn("in flight when an exception escaped: {}", s));

      SoftAssertions soft = new SoftAssertions();
      soft.assertThat(first(serverErrors)).as("inputs answered with a 5xx (of %d)", serverErrors.size()).isEmpty();
      soft.assertThat(first(hung)).as("complete inputs neither answered nor closed within %s (of %d)", ANSWER_BOUND,
          hung.size()).isEmpty();
      soft.assertThat(first(leaks)).as("error answers showing internals (of %d)", leaks.size()).isEmpty();
      soft.assertThat(uncaught.seen()).as("exceptions that escaped a handler").isEmpty();
      soft.assertAll();
    }
    // the run was not vacuous: the node answered, with successes and client errors both
    if (!run.replaying()) {
      assertThat(statuses.keySet()).anyMatch(s -> s < 300).anyMatch(s -> s >= 400 && s < 500);
    }
    Exchange health = RawHttp.exchange(node.httpPort(),
        "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
        ANSWER_BOUND, false);
    assertThat(health.statuses()).as("/health after the run").containsExactly(200);
  }

  private static List<String> first(ConcurrentLinkedQueue<String> failures) {
    return failures.stream().limit(10).toList();
  }

  private static String excerpt(byte[] bytes) {
    return excerpt(new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.ISO_8859_1));
  }

  private static String excerpt(String text) {
    String shown = text.length() > 300 ? text.substring(0, 300) + "..." : text;
    return shown.replace("\r", "\\r").replace("\n", "\\n");
  }
}
