package io.todocluster.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.node.Node;
import io.todocluster.support.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random sequences of add, update, delete and read over HTTP, each answer compared with a simple
 * in-memory model of the lists: entries by id, and the ids each list has handed out.
 */
@DisplayName("The REST API, against a model of its lists")
class RestModelPropertyTest {

  /** Operations in mvn verify; -Dtodo.fuzz.inputs for a long run. */
  private static final int REGRESSION_OPERATIONS = 400;
  private static final List<String> LISTS = List.of("model-a", "model-b", "model-c");
  private static final String[] TITLES = {"Dentist", "Movies", "caf\u00e9", "\ud83d\ude00 party", "a", "t".repeat(1000),
      "with \"quotes\" and \\ back", "  spaced  "};

  @TempDir
  static Path dataDir;
  static Node node;
  static HttpClient http;

  /** The model: per list, the entries by id, and the highest id it handed out. */
  private final Map<String, TreeMap<Long, JsonObject>> entries = new HashMap<>();
  private final Map<String, Long> lastId = new HashMap<>();

  @BeforeAll
  static void startNode() {
    node = TestNodes.start(TestNodes.config("rest-model", dataDir));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stopNode() {
    TestNodes.stop(node);
  }

  @Test
  @DisplayName("every answer of a random sequence of adds, updates, deletes and reads matches the model")
  void matchesTheModel() throws Exception {
    FuzzRun run = FuzzRun.of("rest-model", REGRESSION_OPERATIONS);
    Map<String, Integer> done = new TreeMap<>();
    for (int i = 0; i < run.inputs; i++) {
      Random random = run.random(i);
      String list = LISTS.get(random.nextInt(LISTS.size()));
      String op = switch (random.nextInt(10)) {
        case 0, 1, 2, 3 -> add(random, list, run.replay(i));
        case 4, 5 -> update(random, list, run.replay(i));
        case 6, 7 -> delete(random, list, run.replay(i));
        case 8 -> readAll(list, run.replay(i));
        default -> readByDate(random, list, run.replay(i));
      };
      done.merge(op, 1, Integer::sum);
    }
    for (String list : LISTS) {
      readAll(list, "the final read");
    }
    // not vacuous: each kind of answer happened
    assertThat(done).containsKeys("add", "add-invalid", "update", "update-absent", "delete", "delete-absent", "read");
  }

  private String add(Random random, String list, String step) throws Exception {
    boolean valid = random.nextInt(8) != 0;
    JsonObject body = valid ? new JsonObject().put("date", date(random)).put("title", title(random))
        : random.nextBoolean() ? new JsonObject().put("date", "2026-02-30").put("title", "x")
        : new JsonObject().put("date", date(random)).put("title", "");
    HttpResponse<String> response = send("POST", "/api/lists/" + list + "/entries", body);
    if (!valid) {
      assertThat(response.statusCode()).as(step + ": an invalid add").isEqualTo(400);
      return "add-invalid";
    }
    assertThat(response.statusCode()).as(step + ": add " + body).isEqualTo(201);
    JsonObject entry = new JsonObject(response.body());
    long id = entry.getLong("id");
    assertThat(id).as(step + ": a new id is above every id this list handed out").isGreaterThan(lastId.getOrDefault(list, 0L));
    assertThat(entry).as(step + ": the added entry").isEqualTo(body.copy().put("id", id));
    lastId.put(list, id);
    entries.computeIfAbsent(list, l -> new TreeMap<>()).put(id, entry);
    return "add";
  }

  private String update(Random random, String list, String step) throws Exception {
    long id = someId(random, list);
    JsonObject change = new JsonObject();
    if (random.nextBoolean()) {
      change.put("date", date(random));
    }
    if (change.isEmpty() || random.nextBoolean()) {
      change.put("title", title(random));
    }
    HttpResponse<String> response = send("PUT", "/api/lists/" + list + "/entries/" + id, change);
    JsonObject current = model(list).get(id);
    if (current == null) {
      assertThat(response.statusCode()).as(step + ": update of absent id " + id).isEqualTo(404);
      return "update-absent";
    }
    JsonObject updated = current.copy().mergeIn(change);
    assertThat(response.statusCode()).as(step + ": update " + id).isEqualTo(200);
    assertThat(new JsonObject(response.body())).as(step + ": the updated entry").isEqualTo(updated);
    model(list).put(id, updated);
    return "update";
  }

  private String delete(Random random, String list, String step) throws Exception {
    long id = someId(random, list);
    HttpResponse<String> response = send("DELETE", "/api/lists/" + list + "/entries/" + id, null);
    if (model(list).remove(id) == null) {
      assertThat(response.statusCode()).as(step + ": delete of absent id " + id).isEqualTo(404);
      return "delete-absent";
    }
    assertThat(response.statusCode()).as(step + ": delete " + id).isEqualTo(204);
    return "delete";
  }

  private String readAll(String list, String step) throws Exception {
    HttpResponse<String> response = send("GET", "/api/lists/" + list + "/entries", null);
    assertThat(response.statusCode()).as(step + ": read").isEqualTo(200);
    assertThat(new JsonArray(response.body())).as(step + ": the entries of " + list + ", by id")
        .isEqualTo(new JsonArray(new ArrayList<>(model(list).values())));
    return "read";
  }

  private String readByDate(Random random, String list, String step) throws Exception {
    String date = date(random);
    HttpResponse<String> response = send("GET", "/api/lists/" + list + "/entries?date=" + date, null);
    assertThat(response.statusCode()).as(step + ": read by date").isEqualTo(200);
    List<Object> expected = model(list).values().stream().filter(e -> e.getString("date").equals(date))
        .map(e -> (Object) e).toList();
    assertThat(new JsonArray(response.body())).as(step + ": the entries of " + list + " on " + date)
        .isEqualTo(new JsonArray(new ArrayList<>(expected)));
    return "read";
  }

  /** Mostly an id the list has, else one deleted, never handed out, or beyond all. */
  private long someId(Random random, String list) {
    List<Long> present = new ArrayList<>(model(list).keySet());
    if (!present.isEmpty() && random.nextInt(3) != 0) {
      return present.get(random.nextInt(present.size()));
    }
    return 1 + random.nextInt((int) Math.min(1000, lastId.getOrDefault(list, 0L) + 3));
  }

  private TreeMap<Long, JsonObject> model(String list) {
    return entries.computeIfAbsent(list, l -> new TreeMap<>());
  }

  /** A few dates, so that reads by date find several entries. */
  private static String date(Random random) {
    return "2026-11-2" + random.nextInt(4);
  }

  private static String title(Random random) {
    if (random.nextInt(3) != 0) {
      return TITLES[random.nextInt(TITLES.length)];
    }
    // any characters but lone surrogates, which UTF-8 cannot carry; 1..1000 of them
    String text = RandomJson.string(random).replaceAll("[\\ud800-\\udfff]", "x") + "t";
    return text.substring(Math.max(0, text.length() - 1000));
  }

  private static HttpResponse<String> send(String method, String path, JsonObject body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
        .timeout(Duration.ofSeconds(30));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
