package io.todocluster.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.node.Node;
import io.todocluster.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("/health and /ready of one node")
class HealthRoutesTest {

  @TempDir
  Path dataDir;
  Node node;
  Vertx clientVertx;
  WebClient client;

  @BeforeEach
  void startNode() {
    node = TestNodes.start(TestNodes.config("health-test", dataDir));
    clientVertx = Vertx.vertx();
    client = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(node.httpPort()));
  }

  @AfterEach
  void stopNode() throws Exception {
    client.close();
    clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    TestNodes.stop(node);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  HttpResponse<Buffer> get(String path) throws Exception {
    return await(client.get(path).send());
  }

  static JsonObject check(JsonObject body, String id) {
    return body.getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(c -> id.equals(c.getString("id"))).findFirst()
        .orElseThrow(() -> new AssertionError("no check " + id + " in " + body.encode()));
  }

  @Test
  @DisplayName("a serving node is live and ready, and /ready lists every check it passed")
  void servingNode() throws Exception {
    HttpResponse<Buffer> health = get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.bodyAsJsonObject().getString("outcome")).isEqualTo("UP");

    HttpResponse<Buffer> ready = get("/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonObject body = ready.bodyAsJsonObject();
    assertThat(body.getString("outcome")).isEqualTo("UP");
    for (String id : List.of("cluster-joined", "cluster-formed", "store-joined", "store-settled", "majority-side",
        "store-available", "root-supervisor", "not-draining")) {
      assertThat(check(body, id).getString("status")).as(id).isEqualTo("UP");
    }
  }

  @Test
  @DisplayName("a draining node answers /ready 503 naming the failed check, and stays live")
  void drainingNode() throws Exception {
    node.membership().leave();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    HttpResponse<Buffer> ready = get("/ready");
    while (ready.statusCode() == 200 && System.nanoTime() < deadline) {
      Thread.sleep(20);
      ready = get("/ready");
    }
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.getHeader("Content-Type")).startsWith("application/json");
    JsonObject body = ready.bodyAsJsonObject();
    assertThat(body.getString("outcome")).isEqualTo("DOWN");
    assertThat(body.getJsonObject("data").getJsonArray("failed")).isEqualTo(new JsonArray().add("not-draining"));
    JsonObject draining = check(body, "not-draining");
    assertThat(draining.getString("status")).isEqualTo("DOWN");
    assertThat(draining.getJsonObject("data").getString("reason")).contains("leaving");
    assertThat(draining.getJsonObject("data").getBoolean("leaving")).isTrue();
    assertThat(check(body, "majority-side").getString("status")).as("only the failed check is down").isEqualTo("UP");

    assertThat(get("/health").statusCode()).as("a draining node still runs").isEqualTo(200);
  }
}
