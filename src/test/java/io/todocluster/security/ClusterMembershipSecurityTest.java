package io.todocluster.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.node.Node;
import io.todocluster.support.TestCluster;
import io.todocluster.support.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.infinispan.remoting.transport.Address;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Cluster membership with a secret")
class ClusterMembershipSecurityTest {

  private static final String SECRET = "the-right-secret";
  /** Two of MERGE3's max_interval (5 s): every node has run a merge round that would have found the others. */
  private static final Duration OBSERVED = Duration.ofSeconds(10);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path dataDir;

  private final List<Node> started = new ArrayList<>();

  @AfterEach
  void stopAll() {
    for (int i = started.size() - 1; i >= 0; i--) {
      TestNodes.stop(started.get(i));
    }
  }

  @Test
  @DisplayName("a node with the secret joins and gets the data; one without it and one with a wrong secret never enter the members' views and receive no entry")
  void onlyHoldersOfTheSecretJoin() throws Exception {
    List<Integer> ports = List.of(TestNodes.freePort(), TestNodes.freePort(), TestNodes.freePort(), TestNodes.freePort());
    List<String> seeds = ports.stream().map(p -> "127.0.0.1:" + p).toList();
    Node a = start("a", ports.get(0), seeds, SECRET);
    Node b = start("b", ports.get(1), seeds, SECRET);
    TestCluster.await("a and b see each other", () -> a.membership().members().size() == 2
        && b.membership().members().size() == 2);
    // an outsider either fails to start (it cannot make sense of the members' encrypted answers) or
    // starts as a cluster of its own; both are refusals, and which one happened is printed
    List<Node> outsiders = new ArrayList<>();
    outsider("none", ports.get(2), seeds, null).ifPresent(outsiders::add);
    outsider("wrong", ports.get(3), seeds, "a-wrong-secret").ifPresent(outsiders::add);

    for (int i = 0; i < 10; i++) {
      HttpResponse<String> added = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + a.httpPort() + "/api/lists/secret-" + i + "/entries"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"date\":\"2026-11-22\",\"title\":\"canary\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    }
    // the member with the secret has its copies (2 owners of 2 members: all ten)
    TestCluster.await("b holds every entry", () -> SecureNodes.storedEntries(b) == 10);

    Set<String> members = Set.of(a.membership().self(), b.membership().self());
    long deadline = System.nanoTime() + OBSERVED.toNanos();
    while (System.nanoTime() < deadline) {
      for (Node member : List.of(a, b)) {
        assertThat(member.membership().members()).as("Membership of " + member.config().name()).isEqualTo(members);
        assertThat(names(SecureNodes.cacheManager(member).getMembers()))
            .as("cache manager view of " + member.config().name()).isEqualTo(members);
      }
      for (Node outsider : outsiders) {
        assertThat(outsider.membership().members()).as(outsider.config().name() + " is alone")
            .containsExactly(outsider.membership().self());
      }
      Thread.sleep(200);
    }
    for (Node outsider : outsiders) {
      assertThat(SecureNodes.storedEntries(outsider)).as("entries " + outsider.config().name() + " holds").isZero();
    }
    assertThat(SecureNodes.storedEntries(a)).isEqualTo(10);
  }

  private Optional<Node> outsider(String name, int port, List<String> seeds, String secret) {
    try {
      Node node = start(name, port, seeds, secret);
      System.out.println("outsider " + name + " started as a cluster of its own");
      return Optional.of(node);
    } catch (IllegalStateException refused) {
      System.out.println("outsider " + name + " could not start: " + rootCause(refused));
      return Optional.empty();
    }
  }

  private static String rootCause(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.toString();
  }

  private Node start(String name, int port, List<String> seeds, String secret) {
    Node node = TestNodes.start(
        TestNodes.config(name, dataDir.resolve(name), Duration.ofSeconds(60), port, seeds).toBuilder().secret(secret).build());
    started.add(node);
    return node;
  }

  private static Set<String> names(List<Address> addresses) {
    return addresses.stream().map(Object::toString).collect(Collectors.toSet());
  }
}
