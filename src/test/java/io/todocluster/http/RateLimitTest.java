package io.todocluster.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.node.Node;
import io.todocluster.node.NodeConfig;
import io.todocluster.support.TestNodes;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A node with --rate-limit 1")
class RateLimitTest {

  @TempDir
  static Path dataDir;
  static Node node;
  static HttpClient http;

  @BeforeAll
  static void startNode() {
    NodeConfig c = TestNodes.config("rate-limit-test", dataDir);
    node = TestNodes.start(c.toBuilder().rateLimit(1).build());
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stopNode() {
    TestNodes.stop(node);
  }

  @Test
  @DisplayName("a client over its rate gets 429, a JSON error and Retry-After; /health and /ready are never limited")
  void rateLimit() throws Exception {
    List<HttpResponse<String>> answers = new ArrayList<>();
    // 10 requests at 1 a second: unless they took 9 s, one finds the bucket empty
    for (int i = 0; i < 10; i++) {
      answers.add(get("/api/lists/edge/entries"));
    }
    HttpResponse<String> limited = answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
    assertThat(answers.get(0).statusCode()).isEqualTo(200);
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(new JsonObject(limited.body()).getString("error")).startsWith("too many requests");

    for (int i = 0; i < 10; i++) {
      assertThat(get("/health").statusCode()).as("/health, request %d", i).isEqualTo(200);
      assertThat(get("/ready").statusCode()).as("/ready, request %d", i).isEqualTo(200);
    }
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
