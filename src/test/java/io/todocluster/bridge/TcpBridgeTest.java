package io.todocluster.bridge;

import static io.todocluster.bridge.FrameClient.addressedTo;
import static io.todocluster.bridge.FrameClient.ofType;
import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.Addresses;
import io.todocluster.node.Node;
import io.todocluster.support.Subscriptions;
import io.todocluster.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@DisplayName("The TCP event bus bridge of a node")
class TcpBridgeTest {

  @TempDir
  static Path dataDir;
  static Node node;
  static int bridgePort;

  @BeforeAll
  static void startNode() {
    bridgePort = TestNodes.freePort();
    node = TestNodes.start(TestNodes.config("bridge-test", dataDir).toBuilder().bridgePort(bridgePort).build());
  }

  @AfterAll
  static void stopNode() {
    TestNodes.stop(node);
  }

  private static JsonObject add(String list, String title) {
    return new JsonObject().put("op", "add").put("list", list).put("date", "2026-11-22").put("title", title);
  }

  @Test
  @DisplayName("answers a send to todo.commands (op add) with the entry it added")
  void sendAdd(Vertx vertx, VertxTestContext test) {
    FrameClient.connect(vertx, bridgePort)
        .compose(client -> client.write(FrameClient.send(Addresses.TODO_COMMANDS, "reply-1", add("bridge-add", "Dentist")))
            .frame(addressedTo("reply-1")))
        .onComplete(test.succeeding(reply -> test.verify(() -> {
          assertThat(reply.getString("type")).isEqualTo("message");
          assertThat(reply.getJsonObject("body").getString("title")).isEqualTo("Dentist");
          assertThat(reply.getJsonObject("body").getString("date")).isEqualTo("2026-11-22");
          assertThat(reply.getJsonObject("body").getLong("id")).isPositive();
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("answers a command that fails with an err frame carrying the HTTP status as failure code")
  void failedCommand(Vertx vertx, VertxTestContext test) {
    JsonObject deleteMissing = new JsonObject().put("op", "delete").put("list", "bridge-missing").put("id", 41);
    FrameClient.connect(vertx, bridgePort)
        .compose(client -> client.write(FrameClient.send(Addresses.TODO_COMMANDS, "reply-2", deleteMissing))
            .frame(addressedTo("reply-2")))
        .onComplete(test.succeeding(reply -> test.verify(() -> {
          assertThat(reply.getString("type")).isEqualTo("err");
          assertThat(reply.getInteger("failureCode")).isEqualTo(404);
          assertThat(reply.getString("message")).contains("no entry 41");
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("refuses every other address, and commands in the wrong direction, with an access_denied err frame")
  void refusesOtherAddresses(Vertx vertx, VertxTestContext test) {
    String nodeCommands = Addresses.nodeCommands(((VertxInternal) node.vertx()).clusterManager().getNodeId());
    List<JsonObject> forbidden = List.of(
        FrameClient.send(Addresses.SUPERVISOR_EVENTS, "reply-3", new JsonObject()),
        FrameClient.send(nodeCommands, "reply-4", add("bridge-bypass", "around the routing")),
        FrameClient.send(Addresses.CLUSTER_EVENTS, "reply-5", new JsonObject()),
        FrameClient.register(Addresses.TODO_COMMANDS),
        FrameClient.register(Addresses.SUPERVISOR_EVENTS),
        FrameClient.register(nodeCommands));
    // one connection each: an access_denied frame names no address to tell them apart
    List<Future<JsonObject>> answers = forbidden.stream()
        .map(frame -> FrameClient.connect(vertx, bridgePort).compose(client -> client.write(frame).frame(f -> true)))
        .toList();
    Future.all(answers).onComplete(test.succeeding(all -> test.verify(() -> {
      for (int i = 0; i < forbidden.size(); i++) {
        assertThat(answers.get(i).result()).as("the answer to %s", forbidden.get(i).encode())
            .isEqualTo(new JsonObject().put("type", "err").put("message", "access_denied"));
      }
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("refuses a publish to todo.commands, which every node would apply, and applies nothing")
  void refusesPublishedCommands(Vertx vertx, VertxTestContext test) {
    JsonObject entries = new JsonObject().put("op", "entries").put("list", "bridge-published");
    FrameClient.connect(vertx, bridgePort)
        .compose(client -> client.write(FrameClient.publish(Addresses.TODO_COMMANDS, add("bridge-published", "twice?")))
            .frame(ofType("err"))
            .compose(refused -> client.write(FrameClient.send(Addresses.TODO_COMMANDS, "reply-6", entries))
                .frame(addressedTo("reply-6"))
                .map(list -> List.of(refused, list))))
        .onComplete(test.succeeding(frames -> test.verify(() -> {
          assertThat(frames.get(0).getString("message")).isEqualTo("blocked by bridgeEvent handler");
          assertThat(frames.get(1).getJsonArray("body")).isEqualTo(new JsonArray());
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("delivers the added event of todo.events.<list> to a client registered for it")
  void deliversListEvents(Vertx vertx, VertxTestContext test) throws Exception {
    String list = "bridge-events";
    String events = Addresses.todoEvents(list);
    FrameClient client = FrameClient.connect(vertx, bridgePort)
        .compose(c -> c.write(FrameClient.register(events)).write(FrameClient.ping()).frame(ofType("pong")).map(c))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    // the bridge handles a connection's frames in order: a refused register would have answered before the pong
    assertThat(client.received()).as("frames before the pong").noneMatch(ofType("err"));
    Subscriptions.awaitVisible(List.of(node), events);

    client.write(FrameClient.send(Addresses.TODO_COMMANDS, "reply-7", add(list, "Movies")));
    client.frame(addressedTo("reply-7"))
        .compose(reply -> client.frame(addressedTo(events)).map(event -> List.of(reply, event)))
        .onComplete(test.succeeding(frames -> test.verify(() -> {
          JsonObject entry = frames.get(0).getJsonObject("body");
          JsonObject event = frames.get(1);
          assertThat(event.getString("type")).isEqualTo("message");
          assertThat(event.getJsonObject("body").getString("type")).isEqualTo("added");
          assertThat(event.getJsonObject("body").getString("list")).isEqualTo(list);
          assertThat(event.getJsonObject("body").getJsonObject("entry")).isEqualTo(entry);
          test.completeNow();
        })));
  }
}
