package io.todocluster.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.node.Node;
import io.todocluster.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The HTTP API of one node")
class HttpApiTest {

  @TempDir
  static Path dataDir;
  static Node node;
  static Vertx clientVertx;
  static WebClient client;

  @BeforeAll
  static void startNode() {
    node = TestNodes.start(TestNodes.config("http-test", dataDir));
    clientVertx = Vertx.vertx();
    client = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(node.httpPort()));
  }

  @AfterAll
  static void stopNode() throws Exception {
    client.close();
    clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    TestNodes.stop(node);
  }

  static HttpResponse<Buffer> await(io.vertx.core.Future<HttpResponse<Buffer>> response) throws Exception {
    return response.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static HttpResponse<Buffer> post(String path, String body) throws Exception {
    return await(client.post(path).putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)));
  }

  @Test
  @DisplayName("an added entry gets id 1, then 2, and is listed by id")
  void addAndList() throws Exception {
    var first = post("/api/lists/alice/entries", "{\"date\":\"2026-11-22\",\"title\":\"Dentist\"}");
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", 1).put("date", "2026-11-22").put("title", "Dentist"));
    var second = post("/api/lists/alice/entries", "{\"date\":\"2026-11-23\",\"title\":\"Movies\"}");
    assertThat(second.bodyAsJsonObject().getInteger("id")).isEqualTo(2);

    var all = await(client.get("/api/lists/alice/entries").send());
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.bodyAsJsonArray().stream().map(e -> ((JsonObject) e).getString("title"))).containsExactly("Dentist", "Movies");
    var byDate = await(client.get("/api/lists/alice/entries?date=2026-11-23").send());
    assertThat(byDate.bodyAsJsonArray()).hasSize(1);
  }

  @Test
  @DisplayName("GET /api/lists/{list}/node names the node that runs the list, and refuses a name that is not a list's")
  void whereIs() throws Exception {
    var where = await(client.get("/api/lists/carol/node").send());
    assertThat(where.statusCode()).isEqualTo(200);
    assertThat(where.bodyAsJsonObject()).isEqualTo(new JsonObject().put("list", "carol").put("node", "http-test")
        .put("nodeId", node.membership().self()));
    var bad = await(client.get("/api/lists/bad%20name/node").send());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getString("error")).contains("list");
  }

  @Test
  @DisplayName("the book's routes answer byte for byte")
  void bookRoutes() throws Exception {
    var added = await(client.post("/add_entry?list=bob&date=2023-12-19&title=Dentist").send());
    assertThat(added.statusCode()).isEqualTo(200);
    assertThat(added.bodyAsString()).isEqualTo("OK");
    await(client.post("/add_entry?list=bob&date=2023-12-19&title=Movies").send());
    var entries = await(client.get("/entries?list=bob&date=2023-12-19").send());
    assertThat(entries.statusCode()).isEqualTo(200);
    assertThat(entries.getHeader("Content-Type")).startsWith("text/plain");
    assertThat(entries.bodyAsString()).isEqualTo("2023-12-19 Dentist\n2023-12-19 Movies");
  }
  @Test
  @DisplayName("a read of a day answers that day's entries only, and a write shows in the next read of every day")
  void readsOfADayFollowWrites() throws Exception {
    await(client.post("/add_entry?list=dora&date=2023-12-19&title=Dentist").send());
    await(client.post("/add_entry?list=dora&date=2023-12-20&title=Movies").send());
    assertThat(await(client.get("/entries?list=dora&date=2023-12-19").send()).bodyAsString()).isEqualTo("2023-12-19 Dentist");
    assertThat(await(client.get("/entries?list=dora&date=2023-12-20").send()).bodyAsString()).isEqualTo("2023-12-20 Movies");
    assertThat(await(client.get("/entries?list=dora&date=2023-12-19").send()).bodyAsString()).isEqualTo("2023-12-19 Dentist");

    await(client.post("/add_entry?list=dora&date=2023-12-19&title=Shopping").send());
    assertThat(await(client.get("/entries?list=dora&date=2023-12-19").send()).bodyAsString())
        .isEqualTo("2023-12-19 Dentist\n2023-12-19 Shopping");
    long id = await(client.get("/api/lists/dora/entries?date=2023-12-20").send()).bodyAsJsonArray().getJsonObject(0).getLong("id");
    var updated = await(client.put("/api/lists/dora/entries/" + id).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"title\":\"Theatre\"}")));
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(await(client.get("/entries?list=dora&date=2023-12-20").send()).bodyAsString()).isEqualTo("2023-12-20 Theatre");
    assertThat(await(client.delete("/api/lists/dora/entries/" + id).send()).statusCode()).isEqualTo(204);
    assertThat(await(client.get("/entries?list=dora&date=2023-12-20").send()).bodyAsString()).as("no entry that day").isNullOrEmpty();
    assertThat(await(client.get("/api/lists/dora/entries").send()).bodyAsJsonArray()).hasSize(2);
  }

  @Test
  @DisplayName("an entry can be updated and deleted; absent ones answer 404")
  void updateAndDelete() throws Exception {
    long id = post("/api/lists/carol/entries", "{\"date\":\"2026-11-22\",\"title\":\"Dentist\"}").bodyAsJsonObject().getLong("id");
    var updated = await(client.put("/api/lists/carol/entries/" + id).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"title\":\"Doctor\"}")));
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(updated.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", id).put("date", "2026-11-22").put("title", "Doctor"));

    var deleted = await(client.delete("/api/lists/carol/entries/" + id).send());
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(await(client.delete("/api/lists/carol/entries/" + id).send()).statusCode()).isEqualTo(404);
    var missing = await(client.put("/api/lists/carol/entries/99").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"title\":\"x\"}")));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.bodyAsJsonObject().getString("error")).contains("99");

    var next = post("/api/lists/carol/entries", "{\"date\":\"2026-11-22\",\"title\":\"Again\"}");
    assertThat(next.bodyAsJsonObject().getLong("id")).as("ids are never reused").isEqualTo(id + 1);
    assertThat(await(client.get("/api/lists/carol/entries").send()).bodyAsJsonArray()).hasSize(1);
  }

  @Test
  @DisplayName("a retried POST with the same Idempotency-Key answers the first result and adds once")
  void idempotentAdd() throws Exception {
    String body = "{\"date\":\"2026-11-22\",\"title\":\"Once\"}";
    var first = await(client.post("/api/lists/dave/entries").putHeader("Content-Type", "application/json")
        .putHeader("Idempotency-Key", "k-1").sendBuffer(Buffer.buffer(body)));
    var retry = await(client.post("/api/lists/dave/entries").putHeader("Content-Type", "application/json")
        .putHeader("Idempotency-Key", "k-1").sendBuffer(Buffer.buffer(body)));
    assertThat(retry.statusCode()).isEqualTo(201);
    assertThat(retry.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
    assertThat(await(client.get("/api/lists/dave/entries").send()).bodyAsJsonArray()).hasSize(1);
  }

  @Test
  @DisplayName("an unknown list is an empty array")
  void unknownList() throws Exception {
    var response = await(client.get("/api/lists/nobody-here/entries").send());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonArray()).isEqualTo(new JsonArray());
  }

  @Test
  @DisplayName("every bad input is a 4xx with a JSON error naming the problem")
  void rejectedInputs() throws Exception {
    String longName = "a".repeat(129);
    expectError(post("/api/lists/" + longName + "/entries", "{\"date\":\"2026-11-22\",\"title\":\"t\"}"), 400, "list");
    expectError(post("/api/lists/bad%20name/entries", "{\"date\":\"2026-11-22\",\"title\":\"t\"}"), 400, "list");
    expectError(post("/api/lists/eve/entries", "{\"date\":\"2026-02-30\",\"title\":\"t\"}"), 400, "calendar date");
    expectError(post("/api/lists/eve/entries", "{\"date\":\"2026-1-1\",\"title\":\"t\"}"), 400, "date");
    expectError(post("/api/lists/eve/entries", "{\"title\":\"t\"}"), 400, "date");
    expectError(post("/api/lists/eve/entries", "{\"date\":\"2026-11-22\",\"title\":\"\"}"), 400, "title");
    expectError(post("/api/lists/eve/entries", "{\"date\":\"2026-11-22\",\"title\":\"" + "x".repeat(1001) + "\"}"), 400, "title");
    expectError(post("/api/lists/eve/entries", "{\"date\":\"2026-11-22\",\"title\":42}"), 400, "title");
    expectError(post("/api/lists/eve/entries", "{not json"), 400, "JSON");
    expectError(post("/api/lists/eve/entries", "[1,2]"), 400, "JSON object");
    expectError(post("/api/lists/eve/entries", "{\"date\":\"2026-11-22\",\"title\":\"" + "x".repeat(70_000) + "\"}"), 413, "64 KiB");
    expectError(await(client.post("/api/lists/eve/entries").putHeader("Content-Type", "text/plain")
        .sendBuffer(Buffer.buffer("hi"))), 415, "application/json");
    expectError(await(client.put("/api/lists/eve/entries/abc").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"title\":\"x\"}"))), 400, "id");
    expectError(await(client.put("/api/lists/eve/entries/1").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{}"))), 400, "date or a title");
    expectError(await(client.post("/api/lists/eve/entries").putHeader("Content-Type", "application/json")
        .putHeader("Idempotency-Key", "x".repeat(300)).sendBuffer(Buffer.buffer("{\"date\":\"2026-11-22\",\"title\":\"t\"}"))), 400, "Idempotency-Key");
    expectError(await(client.get("/api/lists/eve/entries?date=yesterday").send()), 400, "date");
    expectError(await(client.get("/no/such/route").send()), 404, "no such route");
    expectError(await(client.patch("/api/lists/eve/entries").send()), 405, "not allowed");
    expectError(await(client.post("/add_entry?list=eve&date=2026-13-01&title=x").send()), 400, "date");
    expectError(await(client.post("/add_entry?date=2026-11-01&title=x").send()), 400, "list");
    expectError(await(client.get("/entries?list=eve").send()), 400, "date");
    assertThat(await(client.get("/api/lists/eve/entries").send()).bodyAsJsonArray()).as("nothing was added").isEmpty();
  }

  private static void expectError(HttpResponse<Buffer> response, int status, String mention) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(response.bodyAsJsonObject().getString("error")).contains(mention).doesNotContain("Exception");
  }

  @Test
  @DisplayName("health, readiness and the cluster view answer on a lone node")
  void operationsRoutes() throws Exception {
    assertThat(await(client.get("/health").send()).statusCode()).isEqualTo(200);
    assertThat(await(client.get("/ready").send()).statusCode()).isEqualTo(200);
    JsonObject cluster = await(client.get("/api/cluster").send()).bodyAsJsonObject();
    assertThat(cluster.getString("node")).isEqualTo("http-test");
    assertThat(cluster.getString("partition")).isEqualTo("majority");
    assertThat(cluster.containsKey("settling")).as("the settle state is part of the view").isTrue();
    assertThat(cluster.getValue("settling")).as("nothing to reconcile").isNull();
    assertThat(cluster.getJsonArray("members")).hasSize(1);
    JsonObject member = cluster.getJsonArray("members").getJsonObject(0);
    assertThat(member.getString("name")).isEqualTo("http-test");
    assertThat(member.getString("role")).isEqualTo("server");
    assertThat(member.getInteger("processes")).isGreaterThanOrEqualTo(0);
    assertThat(member.getString("nodeId")).startsWith("http-test-");
  }

  @Test
  @DisplayName("a node without --dashboard-crash refuses a crash request with 403 and a JSON error")
  void crashRefusedWhenOff() throws Exception {
    var refused = await(client.post("/api/lists/alice/crash").send());
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.bodyAsJsonObject().getString("error")).contains("--dashboard-crash");
  }
}
