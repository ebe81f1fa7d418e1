package io.todocluster.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.Addresses;
import io.todocluster.node.Node;
import io.todocluster.support.TestCluster;
import io.todocluster.support.TestNodes;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.impl.clustered.ClusteredMessage;
import io.vertx.core.eventbus.impl.codecs.JsonObjectMessageCodec;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.spi.cluster.NodeInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An outsider speaks the clustered event bus's own wire format to a node's bus port. The frame is
 * made by Vert.x's own encoder (an internal class: the wire format has no public API), and a node
 * without TLS acts on it, so the frame is known to be one a node would obey.
 */
@DisplayName("The event bus port of a node with a secret")
class EventBusFrameSecurityTest {

  private static final String SECRET = "the-right-secret";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path dataDir;

  private Node plain;
  private Node secured;
  private Vertx client;

  @AfterEach
  void stop() {
    if (client != null) {
      client.close().toCompletionStage().toCompletableFuture().join();
    }
    TestNodes.stop(secured);
    TestNodes.stop(plain);
  }

  @Test
  @DisplayName("ignores a well-formed todo.commands frame sent over plain TCP or over TLS with a certificate not made from the secret, and obeys one from a member")
  void refusesFramesFromNonMembers() throws Exception {
    plain = TestNodes.start(TestNodes.config("plain", dataDir.resolve("plain")));
    secured = TestNodes.start(TestNodes.config("secured", dataDir.resolve("secured")).toBuilder().secret(SECRET).build());
    client = Vertx.vertx();
    for (Node node : List.of(plain, secured)) {
      assertThat(SecureNodes.listeningAddresses(busOf(node).port())).as("bus port of " + node.config().name())
          .containsOnly("127.0.0.1");
    }

    // the control: without TLS, the bare frame adds an entry
    sendRaw(busOf(plain), addFrame("intruder-plain"));
    TestCluster.await("the plain node obeyed the raw frame", () -> entries(plain, "intruder-plain") == 1);

    // plain TCP to the TLS port: the node closes the connection, having read no frame
    assertThat(sendRaw(busOf(secured), addFrame("intruder-raw"))).as("closed by the node").isTrue();
    // TLS with a certificate from another secret's CA: refused in the handshake
    ClusterCa wrongCa = ClusterCa.of(ClusterSecret.derive("a-wrong-secret"));
    assertThat(sendTls(busOf(secured), wrongCa, addFrame("intruder-tls"))).as("closed by the node").isTrue();

    // the control for the TLS port: a certificate from the secret's CA is obeyed
    ClusterCa memberCa = ClusterCa.of(ClusterSecret.derive(SECRET));
    sendTls(busOf(secured), memberCa, addFrame("member-tls"));
    TestCluster.await("the secured node obeyed the member's frame", () -> entries(secured, "member-tls") == 1);

    assertThat(entries(secured, "intruder-raw")).as("entries from the raw frame").isZero();
    assertThat(entries(secured, "intruder-tls")).as("entries from the wrong certificate").isZero();
    System.out.println("bus frames: plain node obeyed a raw frame; secured node refused raw and wrong-CA TLS, obeyed a member");
  }

  private static Buffer addFrame(String list) {
    JsonObject command = new JsonObject().put("op", "add").put("list", list)
        .put("date", "2026-11-22").put("title", "from " + list);
    return new ClusteredMessage<>("outsider", Addresses.TODO_COMMANDS, MultiMap.caseInsensitiveMultiMap(), command,
        new JsonObjectMessageCodec(), true, null).encodeToWire();
  }

  private static NodeInfo busOf(Node node) {
    return SecureNodes.clusterManager(node).getNodeInfo();
  }

  /** Writes the frame on a plain socket; true when the node then closed the connection. */
  private static boolean sendRaw(NodeInfo bus, Buffer frame) throws IOException {
    try (Socket socket = new Socket(bus.host(), bus.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(frame.getBytes());
      out.flush();
      InputStream in = socket.getInputStream();
      try {
        // a TLS server answers garbage with an alert at most, then closes; a plain bus says nothing
        while (in.read() != -1) {
          // drain the alert
        }
        return true;
      } catch (SocketException reset) {
        return true;
      } catch (java.net.SocketTimeoutException open) {
        return false;
      }
    }
  }

  /** Writes the frame over TLS with a certificate issued by {@code ca}; true when the node closed the connection. */
  private boolean sendTls(NodeInfo bus, ClusterCa ca, Buffer frame) throws Exception {
    NetClientOptions options = new NetClientOptions().setSsl(true).setTrustAll(true)
        .setHostnameVerificationAlgorithm("").setConnectTimeout(5_000)
        .setKeyCertOptions(BusTls.keyCert(ca.issue("probe")));
    NetClient net = client.createNetClient(options);
    CompletableFuture<Boolean> closed = new CompletableFuture<>();
    AtomicBoolean connected = new AtomicBoolean();
    net.connect(bus.port(), bus.host()).onComplete(ar -> {
      if (ar.failed()) {
        closed.complete(true);
        return;
      }
      connected.set(true);
      NetSocket socket = ar.result();
      socket.closeHandler(v -> closed.complete(true));
      socket.write(frame);
      // a member's connection stays open: give it the time to be read, then report it open
      client.setTimer(3_000, id -> closed.complete(false));
    });
    try {
      return closed.get(15, TimeUnit.SECONDS);
    } finally {
      net.close();
    }
  }

  private static int entries(Node node, String list) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + node.httpPort() + "/api/lists/" + list + "/entries")).build(),
          HttpResponse.BodyHandlers.ofString());
      return new io.vertx.core.json.JsonArray(response.body()).size();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
