package io.todocluster.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The request timeout of the edge, on a router of its own with a 300 ms timeout instead of 30 s. */
@DisplayName("The request timeout")
class RequestTimeoutTest {

  static Vertx vertx;
  static HttpServer server;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route().handler(EdgeLimits.requestTimeout("/eventbus/", Duration.ofMillis(300)));
    router.route().handler(EdgeLimits.bodies(HttpApi.BODY_LIMIT));
    router.get("/never").handler(ctx -> { }); // a handler that never answers
    router.post("/upload").handler(ctx -> ctx.response().end("got " + ctx.body().length()));
    Errors.handleEveryStatus(router);
    server = vertx.createHttpServer(EdgeLimits.serverOptions("127.0.0.1", 0)).requestHandler(router)
        .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("a request this node does not answer in time gets 503 and an error body")
  void slowAnswer() throws Exception {
    String answer = exchange("GET /never HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 503 ").contains("application/json")
        .contains("{\"error\":\"the request was not answered within");
  }

  @Test
  @DisplayName("a request whose body does not arrive in time gets 408, and its connection is closed")
  void slowBody() throws Exception {
    String answer = exchange("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten b");

    assertThat(answer).startsWith("HTTP/1.1 408 ").contains("{\"error\":\"the request was not received within");
  }

  @Test
  @DisplayName("a request that arrives and is answered in time is not touched")
  void inTime() throws Exception {
    String answer = exchange("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd");

    assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("got 4");
  }

  /** Writes the request and reads until the server closes, as it must in each case above. */
  private static String exchange(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(10_000); // far above the 300 ms timeout: reaching it fails the test
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        received.write(buffer, 0, n);
      }
      return received.toString(StandardCharsets.US_ASCII);
    }
  }
}
