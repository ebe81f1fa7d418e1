package io.todocluster.jepsen;

import io.todocluster.jepsen.Op.Entry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Logical clients over HTTP, each bound to one node or sent through a {@link Balancer}, recording
 * every operation in a {@link History} as Jepsen does: adds of unique titles with an
 * Idempotency-Key (60%), reads (30%) and deletes of acknowledged entries (10%; each entry is
 * deleted at most once, so a 404 is never the workload's own doing). An answer is ok;
 * an error that says the operation had no effect is fail (4xx; a 503 saying "nothing was
 * applied"; a connection that could not be opened, so no byte of the request was sent: the node
 * is down or not listening yet); anything else (a timeout, a reset, another 503 of a write) is
 * info, and the client is retired: its loop goes on as a new process, so the load continues
 * through a restart of every node.
 *
 * <p>Why a refused connection is fail and not info: while a whole cluster is down, a client
 * would otherwise record thousands of info deletes of acknowledged ids, and an info delete
 * excuses the absence of its id at the end, which would blind the lost-write check to exactly
 * the writes a whole-cluster event may lose. After an operation that got no HTTP answer the
 * client waits {@link #BACKOFF} before its next one, instead of spinning on a dead node while
 * the others start on the same two cores.
 */
public final class Clients {

  /** Longer than the service's own re-routing deadline (20 s): a later answer is unknown. */
  private static final Duration TIMEOUT = Duration.ofSeconds(25);
  /** The pause after an operation that got no HTTP answer, before the client's next one. */
  static final Duration BACKOFF = Duration.ofMillis(100);

  /** Where a client's next request goes. */
  public interface Route {
    Target next();
  }

  /** A node by name, and the base URI of its HTTP API. */
  public record Target(String node, URI base) {
  }

  /** How an operation ended, for the loop: whether the client is retired, and whether any HTTP answer came. */
  private record Step(boolean retired, boolean answered) {
  }

  private final History history;
  private final Map<String, URI> nodes;
  private final List<String> lists;
  private final Random random;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger processes = new AtomicInteger();
  private final AtomicInteger titles = new AtomicInteger();
  /** Per list, acknowledged ids that no delete has taken yet. */
  private final Map<String, List<Long>> acknowledged = new ConcurrentHashMap<>();
  /** How often each kind of non-ok outcome happened ("DELETE 503 {...}": count), for the run's report. */
  private final Map<String, Integer> errors = new ConcurrentHashMap<>();
  private final List<CompletableFuture<Void>> loops = new ArrayList<>();

  /** @param nodes node name -> base URI of its HTTP API */
  public Clients(History history, Map<String, URI> nodes, List<String> lists, long seed) {
    this.history = history;
    this.nodes = nodes;
    this.lists = lists;
    this.random = new Random(seed);
  }

  /** {@code perNode} clients bound to each node. */
  public void start(int perNode) {
    nodes.forEach((node, base) -> {
      Target target = new Target(node, base);
      for (int i = 0; i < perNode; i++) {
        loops.add(loop(() -> target, processes.getAndIncrement()));
      }
    });
  }

  /** {@code count} clients that ask {@code route} for a node before each request (a balancer). */
  public void start(int count, Route route) {
    for (int i = 0; i < count; i++) {
      loops.add(loop(route, processes.getAndIncrement()));
    }
  }

  /** Stops every client after its operation in flight; again, a no-op. */
  public void stop() throws Exception {
    running.set(false);
    CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  private CompletableFuture<Void> loop(Route route, int process) {
    if (!running.get()) {
      return CompletableFuture.completedFuture(null);
    }
    String list;
    double dice;
    synchronized (random) {
      list = lists.get(random.nextInt(lists.size()));
      dice = random.nextDouble();
    }
    Target target = route.next();
    CompletableFuture<Step> op = dice < 0.6 ? add(target, process, list)
        : dice < 0.9 ? read(target, process, list) : delete(target, process, list);
    return op.thenCompose(step -> {
      int next = step.retired() ? processes.getAndIncrement() : process;
      return step.answered() ? loop(route, next)
          : CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(BACKOFF.toMillis(), TimeUnit.MILLISECONDS))
              .thenCompose(v -> loop(route, next));
    });
  }

  private CompletableFuture<Step> add(Target target, int process, String list) {
    String title = "t" + titles.incrementAndGet();
    History.Handle handle = history.add(process, target.node(), list, title);
    HttpRequest request = HttpRequest.newBuilder(target.base().resolve("/api/lists/" + list + "/entries")).timeout(TIMEOUT)
        .header("Content-Type", "application/json").header("Idempotency-Key", title)
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("date", "2026-11-24").put("title", title).encode()))
        .build();
    return send(request).thenApply(answer -> {
      HttpResponse<String> response = answer.response();
      if (response != null && response.statusCode() == 201) {
        long id = new JsonObject(response.body()).getLong("id");
        acknowledged.computeIfAbsent(list, l -> new ArrayList<>());
        synchronized (acknowledged.get(list)) {
          acknowledged.get(list).add(id);
        }
        handle.ok(new Entry(id, title));
        return new Step(false, true);
      }
      return settle(handle, answer);
    });
  }

  private CompletableFuture<Step> read(Target target, int process, String list) {
    History.Handle handle = history.read(process, target.node(), list);
    HttpRequest request = HttpRequest.newBuilder(target.base().resolve("/api/lists/" + list + "/entries")).timeout(TIMEOUT)
        .GET().build();
    return send(request).thenApply(answer -> {
      HttpResponse<String> response = answer.response();
      if (response != null && response.statusCode() == 200) {
        handle.ok(entries(new JsonArray(response.body())));
        return new Step(false, true);
      }
      note("READ", answer);
      if (response != null || answer.notSent()) {
        handle.fail(); // a read has no effect
        return new Step(false, response != null);
      }
      handle.info();
      return new Step(true, false);
    });
  }

  private CompletableFuture<Step> delete(Target target, int process, String list) {
    List<Long> ids = acknowledged.get(list);
    long id;
    synchronized (random) {
      if (ids == null) {
        return read(target, process, list);
      }
      synchronized (ids) {
        if (ids.isEmpty()) {
          return read(target, process, list);
        }
        id = ids.remove(random.nextInt(ids.size()));
      }
    }
    History.Handle handle = history.delete(process, target.node(), list, id);
    HttpRequest request = HttpRequest.newBuilder(target.base().resolve("/api/lists/" + list + "/entries/" + id))
        .timeout(TIMEOUT).DELETE().build();
    return send(request).thenApply(answer -> {
      HttpResponse<String> response = answer.response();
      if (response != null && response.statusCode() == 204) {
        handle.ok();
        return new Step(false, true);
      }
      Step step = settle(handle, answer);
      if (!step.retired() && (response == null || response.statusCode() != 404)) {
        synchronized (ids) {
          ids.add(id); // refused, so not deleted: a later delete may take it
        }
      }
      return step;
    });
  }

  /**
   * A write that did not succeed: fail when it had no effect (the answer says so, or the request
   * was never sent), else info (retired).
   */
  private Step settle(History.Handle handle, Answer answer) {
    note(handle.invoke().f().name(), answer);
    HttpResponse<String> response = answer.response();
    boolean noEffect = answer.notSent() || response != null && (response.statusCode() / 100 == 4
        || (response.statusCode() == 503 && response.body().contains("nothing was applied")));
    if (noEffect) {
      handle.fail();
      return new Step(false, response != null);
    }
    handle.info();
    return new Step(true, response != null);
  }

  /** Counts a non-ok outcome by operation, status and message (or error). */
  private void note(String f, Answer answer) {
    String what = answer.response() != null
        ? answer.response().statusCode() + " " + answer.response().body().replaceAll("\\s+", " ")
        : "no answer: " + answer.error().getClass().getSimpleName()
            + (answer.error().getCause() != null ? " (" + answer.error().getCause().getClass().getSimpleName() + ")" : "");
    errors.merge(f + " " + (what.length() > 200 ? what.substring(0, 200) + "..." : what), 1, Integer::sum);
  }

  /** Non-ok outcomes by kind ("ADD 503 {...}"), most frequent first, one a line with its count. */
  public String errors() {
    StringBuilder out = new StringBuilder();
    errors.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(e -> out.append(e.getValue()).append('\t').append(e.getKey()).append('\n'));
    return out.toString();
  }

  /** What came back: an HTTP answer, or the error instead of one. */
  private record Answer(HttpResponse<String> response, Throwable error) {
    /**
     * Whether the request certainly never left: the connection could not be opened (refused: the
     * node's port is closed; or no answer to the connect within the connect timeout). Any later
     * error (reset, timeout, EOF on a pooled connection) may come after the node read the request.
     * Sound for POST and DELETE: the JDK client retries them only after a failed connect, never
     * after a pooled connection closed under them (jdk.httpclient.enableAllMethodRetry is off).
     * A GET is also retried after that, so its ConnectException may follow an attempt that was
     * sent; a read has no effect either way, and only OK reads are checked.
     */
    boolean notSent() {
      for (Throwable cause = error; cause != null; cause = cause.getCause()) {
        if (cause instanceof java.net.ConnectException || cause instanceof java.net.http.HttpConnectTimeoutException) {
          return true;
        }
      }
      return false;
    }
  }

  private CompletableFuture<Answer> send(HttpRequest request) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle(Answer::new);
  }

  /** The entries as a node shows them. */
  public static List<Entry> entries(JsonArray json) {
    List<Entry> entries = new ArrayList<>();
    json.forEach(e -> entries.add(new Entry(((JsonObject) e).getLong("id"), ((JsonObject) e).getString("title"))));
    return entries;
  }
}
