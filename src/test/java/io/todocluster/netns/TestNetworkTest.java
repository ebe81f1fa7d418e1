package io.todocluster.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the namespace harness with plain tools (ping, sleep), without the Java service, so that a
 * failure here is a harness problem and never a node problem.
 */
@DisplayName("A test network of namespaces on a private bridge")
class TestNetworkTest {

  private TestNetwork network;
  private Nemesis nemesis;

  @BeforeEach
  void createNetwork() {
    // Per test, not in @BeforeAll: Surefire reports a class-level skip as "0 tests" without the reason.
    assumeThat(Prerequisites.missing()).as("%s", Prerequisites.missing().orElse("")).isEmpty();
    network = TestNetwork.create(3);
    nemesis = new Nemesis(network);
  }

  @AfterEach
  void closeNetwork() {
    if (network != null) {
      network.close();
    }
  }

  @Test
  @DisplayName("lets three nodes and the test JVM reach each other, and gives no node a way out")
  void connectivity() {
    for (int from = 0; from < 3; from++) {
      for (int to = 0; to < 3; to++) {
        assertThat(network.canPing(from, network.host(to))).as("%d -> %d (%s)", from, to, TestNetwork.bridgeNetfilterNote()).isTrue();
      }
      assertThat(network.canPing(from, TestNetwork.BRIDGE_ADDRESS)).as("%d -> bridge", from).isTrue();
      assertThat(Sh.run("ping", "-n", "-q", "-c", "1", "-W", "1", network.host(from)).ok()).as("test JVM -> %d", from).isTrue();
      // Route lookups only: nothing is sent to these addresses.
      assertThat(network.exec(from, "ip", "-4", "route", "show", "default").stdout()).isBlank();
      assertThat(network.exec(from, "ip", "route", "get", "203.0.113.1").ok()).as("route out of %d", from).isFalse();
      assertThat(network.exec(from, "ip", "-4", "route", "show").stdout().strip())
          .isEqualTo("198.18.0.0/24 dev eth0 proto kernel scope link src " + network.host(from));
    }
  }

  @Test
  @DisplayName("isolate(0) cuts node 0 off from 1 and 2 while 1 and 2 still talk, and heal() restores every link")
  void isolateAndHeal() {
    nemesis.isolate(0);

    assertThat(network.canPing(1, network.host(0))).as(nemesis.rules(0)).isFalse();
    assertThat(network.canPing(2, network.host(0))).isFalse();
    assertThat(network.canPing(0, network.host(1))).isFalse();
    assertThat(network.canPing(1, network.host(2))).isTrue();
    assertThat(network.canPing(2, network.host(1))).isTrue();
    assertThat(network.canPing(0, TestNetwork.BRIDGE_ADDRESS)).as("the test JVM still sees node 0").isTrue();

    nemesis.heal();

    assertThat(network.canPing(1, network.host(0))).isTrue();
    assertThat(network.canPing(0, network.host(2))).isTrue();
    assertThat(network.exec(0, "nft", "list", "tables").stdout()).doesNotContain(Nemesis.TABLE);
  }

  @Test
  @DisplayName("split() cuts every link between the two sides and keeps those inside each side")
  void split() {
    nemesis.split(Set.of(0, 1), Set.of(2));

    assertThat(network.canPing(0, network.host(1))).isTrue();
    assertThat(network.canPing(0, network.host(2))).isFalse();
    assertThat(network.canPing(2, network.host(1))).isFalse();
  }

  @Test
  @DisplayName("bridge() separates the two halves while both still see the middle node")
  void bridgePartition() {
    nemesis.bridge(Set.of(0), 1, Set.of(2));

    assertThat(network.canPing(0, network.host(2))).isFalse();
    assertThat(network.canPing(2, network.host(0))).isFalse();
    assertThat(network.canPing(0, network.host(1))).isTrue();
    assertThat(network.canPing(2, network.host(1))).isTrue();
  }

  @Test
  @DisplayName("loss(i, 100) drops every packet to and from node i; loss(i, 50) drops some but not all")
  void loss() {
    nemesis.loss(0, 100);
    assertThat(network.canPing(1, network.host(0))).as(nemesis.rules(0)).isFalse();
    assertThat(network.canPing(0, network.host(2))).isFalse();
    assertThat(network.canPing(1, network.host(2))).isTrue();

    nemesis.loss(0, 50);
    // A round trip survives two 50% draws: 25% expected; all 40 lost or all kept is ~1e-5 or less.
    int received = received(network.exec(1, "ping", "-n", "-q", "-c", "40", "-i", "0.01", "-W", "1", network.host(0)).stdout());
    assertThat(received).as(nemesis.rules(0)).isBetween(1, 39);
  }

  @Test
  @DisplayName("starts a command in a namespace with the PID of the command itself, so signals reach it")
  void processInNamespace(@TempDir Path dir) throws Exception {
    Process sleep = network.start(1, List.of("sleep", "300"), Map.of(), dir.resolve("sleep.log"));
    long pid = sleep.pid();
    awaitComm(pid, "sleep");

    assertThat(Sh.check("ip", "netns", "identify", Long.toString(pid)).stdout().strip()).isEqualTo(network.namespace(1));
    Nemesis.pause(pid);
    assertThat(awaitState(pid, "T")).isEqualTo("T");
    Nemesis.resume(pid);
    assertThat(awaitState(pid, "S")).isEqualTo("S");
    Nemesis.kill(pid);
    assertThat(sleep.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(sleep.exitValue()).isEqualTo(128 + 9);
  }

  @Test
  @DisplayName("close() removes every namespace, veth and the bridge, and kills what still runs inside")
  void closeLeavesNothing(@TempDir Path dir) throws Exception {
    Process sleep = network.start(2, List.of("sleep", "300"), Map.of(), dir.resolve("sleep.log"));

    network.close();

    assertThat(sleep.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(Sh.check("ip", "netns", "list").stdout()).doesNotContain(network.id());
    assertThat(Sh.check("ip", "-br", "link", "show").stdout()).doesNotContain(network.id());
    assertThat(Sh.check("ip", "-4", "addr", "show").stdout()).doesNotContain("198.18.0.");
  }

  @Test
  @DisplayName("sweeps what a dead run left behind (namespace, bridge, process inside) when the next network is made")
  void sweepsLeftovers() throws Exception {
    network.close();
    Sh.check("ip", "netns", "add", "tc-dead00-n0");
    Sh.check("ip", "link", "add", "name", "tcbr-dead00", "type", "bridge");
    Process orphan = new ProcessBuilder("ip", "netns", "exec", "tc-dead00-n0", "sleep", "300").start();
    awaitComm(orphan.pid(), "sleep");

    network = TestNetwork.create(1);

    assertThat(orphan.waitFor(10, TimeUnit.SECONDS)).as("the orphan was killed").isTrue();
    assertThat(Sh.check("ip", "netns", "list").stdout()).doesNotContain("dead00");
    assertThat(Sh.check("ip", "-br", "link", "show").stdout()).doesNotContain("dead00");
  }

  private static int received(String pingOutput) {
    Matcher m = Pattern.compile("(\\d+) received").matcher(pingOutput);
    assertThat(m.find()).as(pingOutput).isTrue();
    return Integer.parseInt(m.group(1));
  }

  /** `ip netns exec` is replaced by the command a moment after start; wait for that. */
  private static void awaitComm(long pid, String comm) throws Exception {
    Path file = Path.of("/proc", Long.toString(pid), "comm");
    for (int i = 0; i < 100 && !(Files.exists(file) && Files.readString(file).strip().equals(comm)); i++) {
      Thread.sleep(20);
    }
    assertThat(Files.readString(file).strip()).isEqualTo(comm);
  }

  /** Waits for the state letter in /proc/PID/stat (S sleeping, T stopped): signals land asynchronously. */
  private static String awaitState(long pid, String want) throws Exception {
    String state = "";
    for (int i = 0; i < 100 && !state.equals(want); i++) {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int end = stat.lastIndexOf(')'); // the command name may contain spaces and parentheses
      state = stat.substring(end + 2, end + 3);
      Thread.sleep(state.equals(want) ? 0 : 20);
    }
    return state;
  }
}
