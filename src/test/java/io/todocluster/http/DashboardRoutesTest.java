package io.todocluster.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.node.Node;
import io.todocluster.node.NodeConfig;
import io.todocluster.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The dashboard's routes and event bus bridge on one node")
class DashboardRoutesTest {

  @TempDir
  static Path dataDir;
  static Node node;
  static Vertx clientVertx;
  static WebClient client;
  static String nodeId;

  @BeforeAll
  static void startNode() throws Exception {
    NodeConfig base = TestNodes.config("dash-test", dataDir);
    NodeConfig withCrash = base.toBuilder().dashboardCrash(true).build();
    node = TestNodes.start(withCrash);
    clientVertx = Vertx.vertx();
    client = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(node.httpPort()));
    nodeId = get("/api/cluster").bodyAsJsonObject().getJsonArray("members").getJsonObject(0).getString("nodeId");
  }

  @AfterAll
  static void stopNode() throws Exception {
    client.close();
    clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    TestNodes.stop(node);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static HttpResponse<Buffer> get(String path) throws Exception {
    return await(client.get(path).send());
  }

  static HttpResponse<Buffer> addEntry(String list) throws Exception {
    return await(client.post("/api/lists/" + list + "/entries").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"date\":\"2026-11-22\",\"title\":\"x\"}")));
  }

  @Test
  @DisplayName("the page and its files are served, and everything the page loads comes from this node")
  void pageIsSelfContained() throws Exception {
    var page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Type")).startsWith("text/html");
    Matcher refs = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(page.bodyAsString());
    int count = 0;
    while (refs.find()) {
      count++;
      String ref = refs.group(1);
      assertThat(ref).as("a reference of the page").startsWith("/").doesNotStartWith("//");
      assertThat(get(ref).statusCode()).as(ref).isEqualTo(200);
    }
    assertThat(count).as("the page's script and style references").isEqualTo(4);
    assertThat(get("/vendor/no-such.js").statusCode()).isEqualTo(404);
    assertThat(get("/api/dashboard").bodyAsJsonObject().getBoolean("crash")).isTrue();
  }

  @Test
  @DisplayName("a crashed list is restarted by its supervisor: the tree counts the restart, the processes show the list here")
  void crashShowsInTheTree() throws Exception {
    assertThat(addEntry("fragile").statusCode()).isEqualTo(201);
    var crashed = await(client.post("/api/lists/fragile/crash").send());
    assertThat(crashed.statusCode()).isEqualTo(200);
    assertThat(crashed.bodyAsJsonObject()).isEqualTo(new JsonObject().put("list", "fragile").put("node", "dash-test")
        .put("crashed", true));

    awaitCondition("the tree counts one restart of fragile", () -> restartsOf("fragile") == 1);
    JsonObject tree = get("/api/nodes/" + nodeId + "/tree").bodyAsJsonObject();
    assertThat(tree.getString("node")).isEqualTo("dash-test");
    JsonObject root = tree.getJsonObject("tree");
    assertThat(root.getString("name")).isEqualTo("root");
    assertThat(root.getString("strategy")).isEqualTo("one_for_one");
    assertThat(root.getJsonArray("children").stream().map(c -> ((JsonObject) c).getString("id")))
        .containsExactly("lists", "commands", "node-endpoint", "http");

    JsonObject processes = get("/api/processes").bodyAsJsonObject().getJsonArray("nodes").getJsonObject(0);
    assertThat(processes.getString("node")).isEqualTo("dash-test");
    assertThat(processes.getJsonArray("lists").getList()).contains("fragile");
  }

  @Test
  @DisplayName("crashing a list without a process, with a bad name, or asking for an unknown node's tree is a 4xx")
  void badRequests() throws Exception {
    var idle = await(client.post("/api/lists/never-started/crash").send());
    assertThat(idle.statusCode()).isEqualTo(404);
    assertThat(idle.bodyAsJsonObject().getString("error")).contains("no running process");
    assertThat(await(client.post("/api/lists/" + "x".repeat(129) + "/crash").send()).statusCode()).isEqualTo(400);
    assertThat(get("/api/nodes/no-such-node/tree").statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("the bridge pushes supervisor.events to a browser and refuses every other address, both ways")
  void bridgePermitsOnlyTheDashboardsAddresses() throws Exception {
    LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    // SockJS's raw WebSocket endpoint: the same bridge, without SockJS's framing
    // held until the end: Vert.x closes a client nobody references, and its sockets with it
    io.vertx.core.http.WebSocketClient sockets = clientVertx.createWebSocketClient();
    WebSocket socket = await(sockets.connect(node.httpPort(), "127.0.0.1", "/eventbus/websocket"));
    try {
      // the raw endpoint writes the bridge's JSON frames as binary WebSocket messages
      socket.binaryMessageHandler(bytes -> frames.add(new JsonObject(bytes)));
      socket.textMessageHandler(text -> frames.add(new JsonObject(text)));
      for (String denied : List.of("todo.commands", "todo.events.alice")) {
        await(socket.writeTextMessage(new JsonObject().put("type", "register").put("address", denied).encode()));
        assertThat(next(frames)).as("register " + denied).isEqualTo(new JsonObject().put("type", "err").put("body", "access_denied"));
      }
      await(socket.writeTextMessage(new JsonObject().put("type", "send").put("address", "todo.commands")
          .put("body", new JsonObject().put("op", "entries").put("list", "alice")).encode()));
      assertThat(next(frames)).as("send to todo.commands").isEqualTo(new JsonObject().put("type", "err").put("body", "access_denied"));

      await(socket.writeTextMessage(new JsonObject().put("type", "register").put("address", "supervisor.events").encode()));
      // the bridge handles a socket's frames in order: once a later frame is refused, the registration is in place
      await(socket.writeTextMessage(new JsonObject().put("type", "register").put("address", "todo.commands").encode()));
      assertThat(next(frames).getString("body")).isEqualTo("access_denied");
      assertThat(addEntry("watched").statusCode()).isEqualTo(201);
      assertThat(await(client.post("/api/lists/watched/crash").send()).statusCode()).isEqualTo(200);
      JsonObject restarted = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (restarted == null) {
        assertThat(System.nanoTime()).as("waiting for the restart of watched").isLessThan(deadline);
        JsonObject frame = next(frames);
        JsonObject body = frame.getJsonObject("body");
        if ("supervisor.events".equals(frame.getString("address")) && "child_restarted".equals(body.getString("event"))
            && "watched".equals(body.getString("child"))) {
          restarted = body;
        }
      }
      assertThat(restarted.getString("supervisor")).isEqualTo("lists");
    } finally {
      await(socket.close());
      await(sockets.close());
    }
  }

  private static int restartsOf(String list) throws Exception {
    JsonObject root = get("/api/nodes/" + nodeId + "/tree").bodyAsJsonObject().getJsonObject("tree");
    for (Object c : root.getJsonArray("children")) {
      JsonObject child = (JsonObject) c;
      if (child.containsKey("tree")) {
        for (Object l : child.getJsonObject("tree").getJsonArray("children")) {
          if (list.equals(((JsonObject) l).getString("id"))) {
            return ((JsonObject) l).getInteger("restarts");
          }
        }
      }
    }
    return -1;
  }

  private static JsonObject next(LinkedBlockingQueue<JsonObject> frames) throws InterruptedException {
    JsonObject frame = frames.poll(10, TimeUnit.SECONDS);
    assertThat(frame).as("a frame from the bridge within 10 s").isNotNull();
    return frame;
  }

  interface Condition {
    boolean holds() throws Exception;
  }

  private static void awaitCondition(String what, Condition condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.holds()) {
      assertThat(System.nanoTime()).as("waiting until " + what).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }
}
