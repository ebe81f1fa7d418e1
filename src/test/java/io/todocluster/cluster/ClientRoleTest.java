package io.todocluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.Addresses;
import io.todocluster.node.Node;
import io.todocluster.node.NodeConfig;
import io.todocluster.support.TestCluster;
import io.todocluster.support.TestNodes;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A client node (Elixir's hidden node)")
class ClientRoleTest {

  @TempDir
  Path dataDir;

  @Test
  @DisplayName("joins and sends commands, but hosts no process")
  void clientHostsNothing() throws Exception {
    int serverPort = TestNodes.freePort();
    int clientPort = TestNodes.freePort();
    List<String> seeds = List.of("127.0.0.1:" + serverPort, "127.0.0.1:" + clientPort);
    Node server = TestNodes.start(TestNodes.config("server", dataDir.resolve("s"), Duration.ofSeconds(60), serverPort, seeds));
    Node client = null;
    try {
      client = TestNodes.start(TestNodes.config("client", dataDir.resolve("c"), Duration.ofSeconds(60), clientPort, seeds,
          NodeConfig.Role.CLIENT));
      Node c = client;
      TestCluster.await("both see two members with one server", () -> c.membership().members().size() == 2
          && server.membership().members().size() == 2 && server.membership().placement().members().size() == 1
          && c.membership().placement().members().size() == 1);
      assertThat(client.membership().placement().members()).containsExactly(server.membership().self());

      DeliveryOptions options = new DeliveryOptions().setSendTimeout(20_000);
      for (int i = 0; i < 20; i++) {
        // sent on the client's own bus to its own todo.commands consumer: it routes to the server
        client.vertx().eventBus().request(Addresses.TODO_COMMANDS, new JsonObject().put("op", "add")
            .put("list", "via-client-" + i).put("date", "2026-11-24").put("title", "t"), options)
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      JsonArray entries = (JsonArray) client.vertx().eventBus().request(Addresses.TODO_COMMANDS,
          new JsonObject().put("op", "entries").put("list", "via-client-7"), options)
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).body();
      assertThat(entries).hasSize(1);
      assertThat(client.cache().lists()).isEmpty();
      assertThat(server.cache().lists()).hasSize(20);
    } finally {
      TestNodes.stop(client);
      TestNodes.stop(server);
    }
  }
}
