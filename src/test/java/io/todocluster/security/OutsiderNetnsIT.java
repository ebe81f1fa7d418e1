package io.todocluster.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.todocluster.netns.NetnsNode;
import io.todocluster.netns.Prerequisites;
import io.todocluster.netns.TestNetwork;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's membership check across real hosts: two members with the cluster secret in network
 * namespaces of their own, then, on the same bridge and with every node as a seed, one node with
 * no secret (plain text, through the test-only switch) and one with a wrong secret. The outsiders
 * must never appear in the members' views and must receive none of their entries.
 */
@DisplayName("Outsiders on the cluster's network")
class OutsiderNetnsIT {

  private static final Duration READY = Duration.ofSeconds(90);
  private static final String SECRET = "outsider-test-secret";
  private static final String LIST = "members-only";
  private static final int ENTRIES = 10;

  /**
   * Absence is watched over a window: JGroups' MERGE3 looks for other views every 2-5 s
   * (todo-jgroups.xml), so 20 s gives it several chances to bring an outsider in.
   */
  private static final Duration WATCH = Duration.ofSeconds(20);

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir
  Path dir;

  @BeforeEach
  void needsRootAndTools() {
    assumeThat(Prerequisites.missing()).as("%s", Prerequisites.missing().orElse("")).isEmpty();
  }

  @Test
  @DisplayName("a node without the secret and one with a wrong secret never join the members and receive no entries")
  void outsidersStayOut() throws Exception {
    try (TestNetwork network = TestNetwork.create(4)) {
      NetnsNode[] nodes = new NetnsNode[4];
      try {
        nodes[0] = NetnsNode.start(network, 0, jar(), dir.resolve("n0"), SECRET).awaitReady(READY);
        nodes[1] = NetnsNode.start(network, 1, jar(), dir.resolve("n1"), SECRET).awaitReady(READY);
        for (int i = 0; i < ENTRIES; i++) {
          HttpResponse<String> added = post(nodes[i % 2], "/api/lists/" + LIST + "/entries",
              new JsonObject().put("date", "2026-12-01").put("title", "members only " + i));
          assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        }
        Set<String> members = memberIds(nodes[0]);
        assertThat(members).hasSize(2);

        nodes[2] = NetnsNode.start(network, 2, jar(), dir.resolve("n2"), null).awaitReady(READY);
        nodes[3] = NetnsNode.start(network, 3, jar(), dir.resolve("n3"), "a-wrong-secret").awaitReady(READY);

        long end = System.nanoTime() + WATCH.toNanos();
        int rounds = 0;
        while (System.nanoTime() < end) {
          for (int member = 0; member < 2; member++) {
            assertThat(memberIds(nodes[member])).as("the view of member n%d", member).isEqualTo(members);
          }
          for (int outsider = 2; outsider < 4; outsider++) {
            assertThat(memberIds(nodes[outsider])).as("the view of outsider n%d", outsider).doesNotContainAnyElementsOf(members);
            HttpResponse<String> read = get(nodes[outsider], "/api/lists/" + LIST + "/entries");
            if (read.statusCode() == 200) {
              assertThat(new JsonArray(read.body())).as("what outsider n%d holds of the list", outsider).isEmpty();
            }
          }
          rounds++;
          Thread.sleep(500); // the pace of the watch, not a wait for a condition
        }
        assertThat(rounds).as("rounds of the watch").isGreaterThan(5);
        assertThat(new JsonArray(get(nodes[1], "/api/lists/" + LIST + "/entries").body())).hasSize(ENTRIES);
      } finally {
        for (NetnsNode node : nodes) {
          if (node != null) {
            node.close();
          }
        }
      }
    }
  }

  private static Path jar() {
    Path jar = Path.of(System.getProperty("todo.jar", "target/todo-cluster.jar"));
    assertThat(jar).as("run mvn package first").isRegularFile();
    return jar.toAbsolutePath();
  }

  private static Set<String> memberIds(NetnsNode node) throws Exception {
    HttpResponse<String> cluster = get(node, "/api/cluster");
    assertThat(cluster.statusCode()).as(cluster.body()).isEqualTo(200);
    Set<String> ids = new HashSet<>();
    new JsonObject(cluster.body()).getJsonArray("members").forEach(m -> ids.add(((JsonObject) m).getString("nodeId")));
    return ids;
  }

  private static HttpResponse<String> get(NetnsNode node, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(node.uri(path)).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(NetnsNode node, String path, JsonObject body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(node.uri(path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
  }
}
