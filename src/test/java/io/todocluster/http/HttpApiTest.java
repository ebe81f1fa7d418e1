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
}
