package io.todocluster.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.support.NodeProcess;
import io.todocluster.support.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS discovery end to end, as in Kubernetes but on loopback: two node JVMs from the fat jar on
 * 127.0.0.2 and 127.0.0.3 with the same cluster port (like two pods), and a DNS name whose A
 * records are both addresses. The name comes from a hosts file of the test's own
 * ({@code -Djdk.net.hosts.file}), the JVM's resolver that DNS_PING's A lookup goes through.
 */
@DisplayName("Nodes with DNS discovery")
class DnsDiscoveryIT {

  private static final String PEERS = "todo-peers.test";
  private static final List<String> ADDRESSES = List.of("127.0.0.2", "127.0.0.3");
  private static final Duration BOUND = Duration.ofSeconds(60);

  @TempDir
  Path tmp;

  private final List<NodeProcess> nodes = new ArrayList<>();

  @AfterEach
  void stopNodes() throws Exception {
    for (NodeProcess node : nodes) {
      node.close();
    }
  }

  @Test
  @DisplayName("two nodes whose addresses are the A records of one name find each other and share a list")
  void nodesFindEachOtherThroughDns() throws Exception {
    Path hosts = Files.writeString(tmp.resolve("hosts"),
        ADDRESSES.get(0) + " " + PEERS + "\n" + ADDRESSES.get(1) + " " + PEERS + "\n");
    int clusterPort = portFreeOnAll();
    for (int i = 0; i < ADDRESSES.size(); i++) {
      String name = "dns-" + i;
      nodes.add(NodeProcess.startWith(name, tmp.resolve(name), TestNodes.freePort(),
          List.of("-Djdk.net.hosts.file=" + hosts),
          List.of("--cluster-host", ADDRESSES.get(i), "--cluster-port", Integer.toString(clusterPort),
              "--discovery", "dns", "--dns-query", PEERS)));
    }
    for (NodeProcess node : nodes) {
      node.awaitReady(BOUND);
    }

    waitFor(() -> nodes.stream().allMatch(node -> members(node) == 2));
    var added = nodes.get(0).postJson("/api/lists/dns/entries", "{\"date\":\"2026-11-22\",\"title\":\"Found\"}");
    assertThat(added.statusCode()).isEqualTo(201);
    var listed = nodes.get(1).get("/api/lists/dns/entries");
    assertThat(new JsonArray(listed.body()).getJsonObject(0).getString("title")).isEqualTo("Found");
    for (NodeProcess node : nodes) {
      assertThat(node.log()).contains("finds its peers through DNS: " + PEERS).doesNotContain("TCPPING");
    }
  }

  private static int members(NodeProcess node) {
    try {
      var response = node.get("/api/cluster");
      return response.statusCode() == 200 ? new JsonObject(response.body()).getJsonArray("members").size() : 0;
    } catch (Exception notYet) {
      return 0;
    }
  }

  /** A port free for TCP and FD_SOCK2 (+ its offset) on every address. */
  private static int portFreeOnAll() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = TestNodes.freePort();
      if (freeOnAll(port) && freeOnAll(port + NodePorts.fdSockOffset())) {
        return port;
      }
    }
    throw new IOException("no port free on " + ADDRESSES);
  }

  private static boolean freeOnAll(int port) {
    for (String address : ADDRESSES) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
      } catch (IOException taken) {
        return false;
      }
    }
    return true;
  }

  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition still false after %s", BOUND).isLessThan(deadline);
      Thread.sleep(200);
    }
  }
}
