package io.todocluster.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writers over HTTP, each bound to one node and one list, adding entries with unique titles and
 * an Idempotency-Key, one after the other. Each outcome is recorded as in Jepsen: ok (acknowledged),
 * fail (an error answer: the server says it did not happen) or info (no answer: unknown).
 */
public final class Workload {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Long enough for any re-routing inside the cluster; an answer later than this is "info". */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> failedByNode = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> unknownByNode = new ConcurrentHashMap<>();
  private final Map<String, List<String>> failureSamples = new ConcurrentHashMap<>();
  private final Map<String, List<String>> unknownSamples = new ConcurrentHashMap<>();
  private final List<CompletableFuture<Void>> writers = new ArrayList<>();

  /** Starts one writer per list, on the given node. */
  public void start(String nodeName, int httpPort, List<String> lists) {
    failedByNode.putIfAbsent(nodeName, new AtomicInteger());
    unknownByNode.putIfAbsent(nodeName, new AtomicInteger());
    for (String list : lists) {
      acknowledged.putIfAbsent(list, ConcurrentHashMap.newKeySet());
      writers.add(write(nodeName, httpPort, list, 0));
    }
  }

  private CompletableFuture<Void> write(String node, int port, String list, int seq) {
    if (!running.get()) {
      return CompletableFuture.completedFuture(null);
    }
    String title = node + "-" + list + "-" + seq;
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/lists/" + list + "/entries"))
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", title)
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("date", "2026-11-24").put("title", title).encode()))
        .build();
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .handle((response, error) -> {
          if (error != null) {
            unknownByNode.get(node).incrementAndGet();
            unknownSamples.computeIfAbsent(node, n -> new CopyOnWriteArrayList<>())
                .add(java.time.LocalTime.now() + " " + list + ": " + error);
            return false; // info: like Jepsen, a client with an unknown outcome is retired
          }
          if (response.statusCode() == 201) {
            acknowledged.get(list).add(title);
          } else {
            failedByNode.get(node).incrementAndGet();
            failureSamples.computeIfAbsent(node, n -> new ArrayList<>()).add(response.statusCode() + " " + response.body());
          }
          return true;
        })
        .thenCompose(goOn -> goOn ? write(node, port, list, seq + 1) : CompletableFuture.completedFuture(null));
  }

  public int acknowledgedCount() {
    return acknowledged.values().stream().mapToInt(Set::size).sum();
  }

  /** Stops the writers and waits for their last requests. */
  public void stop() throws Exception {
    running.set(false);
    CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(60, java.util.concurrent.TimeUnit.SECONDS);
  }

  public int failed(String node) {
    return failedByNode.getOrDefault(node, new AtomicInteger()).get();
  }

  public int unknown(String node) {
    return unknownByNode.getOrDefault(node, new AtomicInteger()).get();
  }

  /** Why requests to this node went unanswered (when, which list, the client's error). */
  public List<String> unknownSamples(String node) {
    return unknownSamples.getOrDefault(node, List.of());
  }

  public List<String> failureSamples(String node) {
    return failureSamples.getOrDefault(node, List.of());
  }

  public Map<String, Set<String>> acknowledged() {
    return acknowledged;
  }

  /** The titles of a list as one node reads them, in order. */
  public static List<String> read(int port, String list) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/lists/" + list + "/entries"))
        .timeout(REQUEST_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("read of " + list + " answered " + response.statusCode() + " " + response.body());
    }
    List<String> titles = new ArrayList<>();
    new JsonArray(response.body()).forEach(e -> titles.add(((JsonObject) e).getString("title")));
    return titles;
  }

  /** Per list: acknowledged titles missing from the read, and titles read more than once. */
  public Map<String, String> violations(Map<String, List<String>> reads) {
    Map<String, String> problems = new HashMap<>();
    acknowledged.forEach((list, titles) -> {
      List<String> read = reads.get(list);
      List<String> lost = titles.stream().filter(t -> !read.contains(t)).toList();
      List<String> duplicated = read.stream().filter(t -> read.indexOf(t) != read.lastIndexOf(t)).distinct().toList();
      if (!lost.isEmpty() || !duplicated.isEmpty()) {
        problems.put(list, "lost " + lost + " duplicated " + duplicated);
      }
    });
    return problems;
  }
}
