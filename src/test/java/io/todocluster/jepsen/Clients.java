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
 * Logical clients over HTTP, each bound to one node, recording every operation in a
 * {@link History} as Jepsen does: adds of unique titles with an Idempotency-Key (60%), reads
 * (30%) and deletes of acknowledged entries (10%). An answer is ok; an error that says the
 * operation had no effect is fail (4xx; a 503 saying "nothing was applied");
 * anything else (a timeout, a reset, another 503 of a write) is info, and the client is retired:
 * it goes on as a new process.
 */
public final class Clients {

  /** Longer than the service's own re-routing deadline (20 s): a later answer is unknown. */
  private static final Duration TIMEOUT = Duration.ofSeconds(25);

  private final History history;
  private final Map<String, URI> nodes;
  private final List<String> lists;
  private final Random random;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger processes = new AtomicInteger();
  private final AtomicInteger titles = new AtomicInteger();
  private final Map<String, List<Long>> acknowledged = new ConcurrentHashMap<>();
  private final List<CompletableFuture<Void>> loops = new ArrayList<>();

  /** @param nodes node name -> base URI of its HTTP API */
  public Clients(History history, Map<String, URI> nodes, List<String> lists, long seed) {
    this.history = history;
    this.nodes = nodes;
    this.lists = lists;
    this.random = new Random(seed);
  }

  public void start(int perNode) {
    nodes.forEach((node, base) -> {
      for (int i = 0; i < perNode; i++) {
        loops.add(loop(node, base, processes.getAndIncrement()));
      }
    });
  }

  public void stop() throws Exception {
    running.set(false);
    CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  private CompletableFuture<Void> loop(String node, URI base, int process) {
    if (!running.get()) {
      return CompletableFuture.completedFuture(null);
    }
    String list;
    double dice;
    synchronized (random) {
      list = lists.get(random.nextInt(lists.size()));
      dice = random.nextDouble();
    }
    CompletableFuture<Boolean> op = dice < 0.6 ? add(node, base, process, list)
        : dice < 0.9 ? read(node, base, process, list) : delete(node, base, process, list);
    return op.thenCompose(retired -> loop(node, base, retired ? processes.getAndIncrement() : process));
  }

  private CompletableFuture<Boolean> add(String node, URI base, int process, String list) {
    String title = "t" + titles.incrementAndGet();
    History.Handle handle = history.add(process, node, list, title);
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/lists/" + list + "/entries")).timeout(TIMEOUT)
        .header("Content-Type", "application/json").header("Idempotency-Key", title)
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("date", "2026-11-24").put("title", title).encode()))
        .build();
    return send(request).thenApply(response -> {
      if (response != null && response.statusCode() == 201) {
        long id = new JsonObject(response.body()).getLong("id");
        acknowledged.computeIfAbsent(list, l -> new ArrayList<>());
        synchronized (acknowledged.get(list)) {
          acknowledged.get(list).add(id);
        }
        handle.ok(new Entry(id, title));
        return false;
      }
      return settle(handle, response);
    });
  }

  private CompletableFuture<Boolean> read(String node, URI base, int process, String list) {
    History.Handle handle = history.read(process, node, list);
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/lists/" + list + "/entries")).timeout(TIMEOUT).GET().build();
    return send(request).thenApply(response -> {
      if (response != null && response.statusCode() == 200) {
        handle.ok(entries(new JsonArray(response.body())));
        return false;
      }
      if (response != null) {
        handle.fail(); // a read has no effect
        return false;
      }
      handle.info();
      return true;
    });
  }

  private CompletableFuture<Boolean> delete(String node, URI base, int process, String list) {
    List<Long> ids = acknowledged.get(list);
    long id;
    synchronized (random) {
      if (ids == null) {
        return read(node, base, process, list);
      }
      synchronized (ids) {
        id = ids.get(random.nextInt(ids.size()));
      }
    }
    History.Handle handle = history.delete(process, node, list, id);
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/lists/" + list + "/entries/" + id)).timeout(TIMEOUT)
        .DELETE().build();
    return send(request).thenApply(response -> {
      if (response != null && response.statusCode() == 204) {
        handle.ok();
        return false;
      }
      return settle(handle, response);
    });
  }

  /** A write that did not succeed: fail when the answer says it had no effect, else info (retired). */
  private static boolean settle(History.Handle handle, HttpResponse<String> response) {
    boolean noEffect = response != null && (response.statusCode() / 100 == 4
        || (response.statusCode() == 503 && response.body().contains("nothing was applied")));
    if (noEffect) {
      handle.fail();
      return false;
    }
    handle.info();
    return true;
  }

  private CompletableFuture<HttpResponse<String>> send(HttpRequest request) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> error == null ? response : null);
  }

  /** The entries as a node shows them. */
  public static List<Entry> entries(JsonArray json) {
    List<Entry> entries = new ArrayList<>();
    json.forEach(e -> entries.add(new Entry(((JsonObject) e).getLong("id"), ((JsonObject) e).getString("title"))));
    return entries;
  }
}
