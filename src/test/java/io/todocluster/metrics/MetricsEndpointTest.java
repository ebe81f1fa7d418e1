package io.todocluster.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.node.Node;
import io.todocluster.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("GET /metrics of one node")
class MetricsEndpointTest {

  /** The HTTP server's request timer: vertx.http.servers.{host:port}.requests, a summary once exported. */
  private static final Predicate<String> HTTP_REQUESTS =
      Pattern.compile("vertx_http_servers_[0-9_]+:[0-9]+_requests_count").asMatchPredicate();

  @TempDir
  static Path dataDir;
  static Node node;
  static Vertx clientVertx;
  static WebClient client;

  @BeforeAll
  static void startNode() {
    node = TestNodes.start(TestNodes.config("metrics-test", dataDir));
    clientVertx = Vertx.vertx();
    client = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(node.httpPort()));
  }

  @AfterAll
  static void stopNode() throws Exception {
    client.close();
    clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    TestNodes.stop(node);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static PrometheusText scrape() throws Exception {
    HttpResponse<Buffer> response = await(client.get("/metrics").send());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/plain; version=0.0.4");
    return PrometheusText.parse(response.bodyAsString());
  }

  static void add(String list, String title) throws Exception {
    HttpResponse<Buffer> response = await(client.post("/api/lists/" + list + "/entries")
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(new JsonObject().put("date", "2026-11-22").put("title", title).encode())));
    assertThat(response.statusCode()).isEqualTo(201);
  }

  /** Scrapes until the condition holds, for at most 20 s: a counter moves when an event arrives, not at once. */
  static PrometheusText scrapeUntil(String what, Predicate<PrometheusText> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    PrometheusText page = scrape();
    while (!condition.test(page)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what + "; last page: " + page.samples);
      }
      Thread.sleep(50);
      page = scrape();
    }
    return page;
  }

  @Test
  @DisplayName("the page holds Vert.x's HTTP server, event bus and pool metrics, the JVM's, and the node's own")
  void everyFamilyIsThere() throws Exception {
    PrometheusText page = scrape();
    assertThat(page.has(HTTP_REQUESTS)).as("the HTTP server's requests").isTrue();
    assertThat(page.types).containsEntry("vertx_eventbus_messages_sent_total", "counter");
    assertThat(page.value("vertx_eventbus_handlers_total")).as("event bus handlers").isPositive();
    assertThat(page.has(s -> s.startsWith("vertx_pools_worker_"))).as("the worker pools").isTrue();
    assertThat(page.value("jvm_memory_heap_used")).isPositive();
    assertThat(page.value("jvm_threads_count")).isPositive();
    assertThat(page.has(s -> s.startsWith("jvm_gc_") && s.endsWith("_count"))).as("the collectors").isTrue();
    assertThat(page.value("todo_partition_minority")).as("a lone node is its own majority").isZero();
    assertThat(page.value("todo_cluster_members")).isEqualTo(1);
    assertThat(page.value("todo_cluster_settling")).as("a lone started node has nothing to reconcile").isZero();
    assertThat(page.value("todo_cluster_settle_failed_attempts")).isZero();
    assertThat(page.value("todo_cluster_formed")).as("a lone started node has formed its cluster").isEqualTo(1);
    assertThat(page.types).containsEntry("todo_processes_live", "gauge")
        .containsEntry("todo_processes_restarts_total", "counter")
        .containsEntry("todo_supervisor_escalations_total", "counter")
        .containsEntry("todo_cluster_failover_duration_seconds", "summary")
        .containsEntry("todo_cluster_handoff_duration_seconds", "summary");
    assertThat(page.samples.keySet()).as("Vert.x's names carry its prefix")
        .filteredOn(s -> s.contains("eventbus") || s.contains("http_servers")).allMatch(s -> s.startsWith("vertx_"));
  }

  @Test
  @DisplayName("requests, a new list's process and its store writes move their metrics")
  void requestsAndProcessesMoveTheCounters() throws Exception {
    PrometheusText before = scrape();
    for (int i = 0; i < 5; i++) {
      add("metrics-moving", "entry " + i);
    }
    double starts = before.value("todo_processes_starts_total");
    // the start is counted when the supervisor's report arrives, a moment after it
    PrometheusText after = scrapeUntil("the start is counted", page -> page.value("todo_processes_starts_total") > starts);
    // the five POSTs and the first scrape at least (the second is counted once it has answered)
    assertThat(after.sum(HTTP_REQUESTS)).isGreaterThanOrEqualTo(before.sum(HTTP_REQUESTS) + 6);
    assertThat(after.value("todo_processes_live")).as("the list's process runs here now")
        .isEqualTo(before.value("todo_processes_live") + 1);
    assertThat(after.value("todo_processes_starts_total")).isEqualTo(starts + 1);
    assertThat(after.value("todo_store_add_entry_duration_seconds_count"))
        .as("one stored entry per add").isGreaterThanOrEqualTo(before.sum("todo_store_add_entry_duration_seconds_count"::equals) + 5);
    assertThat(after.samples).containsKey("todo_store_add_entry_duration_seconds{quantile=\"0.99\"}");
  }

  @Test
  @DisplayName("a crashed list process counts one abnormal exit and one restart")
  void aCrashIsCounted() throws Exception {
    add("metrics-fragile", "before the crash");
    PrometheusText before = scrape();
    assertThat(await(node.cache().crash("metrics-fragile"))).as("the process was there and crashed").isTrue();
    double restarts = before.value("todo_processes_restarts_total");
    PrometheusText after = scrapeUntil("the restart is counted", page -> page.value("todo_processes_restarts_total") > restarts);
    assertThat(after.value("todo_processes_restarts_total")).isEqualTo(restarts + 1);
    assertThat(after.value("todo_processes_exits_abnormal_total")).isEqualTo(before.value("todo_processes_exits_abnormal_total") + 1);
    assertThat(after.value("todo_processes_live")).as("the restarted process replaces the crashed one")
        .isEqualTo(before.value("todo_processes_live"));
    assertThat(after.value("vertx_eventbus_messages_published_total"))
        .as("the supervisor's reports of the crash and restart went out on the event bus")
        .isGreaterThan(before.value("vertx_eventbus_messages_published_total"));
    assertThat(after.value("todo_supervisor_escalations_total")).isZero();
  }
}
