package io.todocluster.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.node.Node;
import io.todocluster.support.TestNodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The HTTP edge of a node")
class EdgeLimitsTest {

  @TempDir
  static Path dataDir;
  static Node node;

  @BeforeAll
  static void startNode() {
    node = TestNodes.start(TestNodes.config("edge-test", dataDir));
  }

  @AfterAll
  static void stopNode() {
    TestNodes.stop(node);
  }

  @Test
  @DisplayName("a header section over 8 KiB gets 431, a request line over 4 KiB 414, a body over 64 KiB 413, a form field over 8 KiB 400")
  void sizeLimits() throws Exception {
    assertThat(raw("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9000) + "\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 431 ").contains("{\"error\":\"the headers are longer than 8192 bytes\"}");
    assertThat(raw("GET /health?" + "q".repeat(5000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        .matches("(?s)HTTP/1\\.[01] 414 .*") // Vert.x answers 1.0 when it could not read the version
        .contains("{\"error\":\"the request line is longer than 4096 bytes\"}");
    String tooLarge = raw("POST /api/lists/edge/entries HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + (64 * 1024 + 1) + "\r\nConnection: close\r\n\r\n" + "x".repeat(64 * 1024 + 1));
    assertThat(tooLarge).startsWith("HTTP/1.1 413 ").contains("{\"error\":\"the body is larger than 64 KiB\"}");
    String form = "list=edge&date=2026-11-22&title=" + "t".repeat(9000);
    String bigField = raw("POST /add_entry HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        + "Content-Length: " + form.length() + "\r\nConnection: close\r\n\r\n" + form);
    assertThat(bigField).as("a form field over 8 KiB").startsWith("HTTP/1.1 400 ").contains("{\"error\":");
  }

  @Test
  @DisplayName("a request line's version other than HTTP/1.0 or 1.1 gets 400 and a close, not Vert.x's 501; HTTP/1.2 is served as 1.1")
  void versions() throws Exception {
    for (String version : List.of("hTTP/1.1", "HTTP/2.0", "HTTP/0.9", "HTTP/3.0", "XTTP/1.1", "HTTP/1.1.1")) {
      assertThat(raw("GET /health " + version + "\r\nHost: x\r\n\r\n")).as(version)
          .matches("(?s)HTTP/1\\.[01] 400 .*")
          .containsAnyOf("{\"error\":\"only HTTP/1.0 and HTTP/1.1 are served here\"}",
              "{\"error\":\"the request is not valid HTTP\"}");
    }
    assertThat(raw("GET /health HTTP/1.2\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200 ");
    assertThat(raw("GET /health HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.0 200 ");
  }

  @Test
  @DisplayName("an HTTP/2 cleartext upgrade is not taken: the answer is plain HTTP/1.1")
  void noH2cUpgrade() throws Exception {
    String answer = raw("GET /health HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
        + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 200 ").doesNotContain("101 Switching Protocols");
  }

  @Test
  @DisplayName("a broken chunk, a bad %-escape in the path or query, a Host Vert.x cannot parse: 400 (or a close), with no stack trace or class name")
  void errorBodies() throws Exception {
    // Vert.x closes the connection on a chunk it cannot decode, before the 400 can go out
    String broken = raw("POST /api/lists/edge/entries HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
    assertThat(broken).matches("(?s)|HTTP/1\\.1 400 .*");
    String badPath = raw("GET /api/lists/%zz/entries/%L* HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(badPath).startsWith("HTTP/1.1 400 ").contains("{\"error\":");
    String badEscape = raw("GET /entries?list=a&date=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(badEscape).startsWith("HTTP/1.1 400 ").contains("{\"error\":\"the query string is not valid");
    // Vert.x's own parser throws on this Host header: it once restarted the HTTP verticle
    String badHost = raw("GET /health HTTP/1.1\r\nHost: 1%7.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(badHost).startsWith("HTTP/1.1 400 ").contains("{\"error\":\"the Host header is not a valid host and port\"}");
    for (String answer : List.of(broken, badPath, badEscape, badHost)) {
      assertThat(answer).doesNotContain("Exception", "\tat ", "io.vertx", "io.netty", "io.todocluster");
    }
  }

  /** Writes bytes as they are (no client tidies them) and reads until the first answer is whole or the server closes. */
  private static String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", node.httpPort())) {
      socket.setSoTimeout(10_000);
      try {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      } catch (IOException closedEarly) {
        // the server may answer and close before it read all: what it said is below
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          received.write(buffer, 0, n);
          String text = received.toString(StandardCharsets.ISO_8859_1);
          if (text.contains("\r\n\r\n") && text.startsWith("HTTP/1.1 200 ") && request.contains("Upgrade: h2c")) {
            break; // kept alive: the head is what the test looks at
          }
        }
      } catch (IOException reset) {
        // a reset after the answer: what came before it is the answer
      }
      return received.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
