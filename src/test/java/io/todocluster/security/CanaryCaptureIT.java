package io.todocluster.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.todocluster.netns.NetnsNode;
import io.todocluster.netns.Prerequisites;
import io.todocluster.netns.TestNetwork;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three node JVMs in network namespaces write entries with a canary title while tcpdump records
 * the test bridge; the capture is then searched for the canary. HTTP (port 8080, between the test
 * JVM and the nodes) is left out of the capture: it is not encrypted by design (SECURITY.md). What
 * remains is JGroups, FD_SOCK2 and the event bus between the nodes. The same run in plain text
 * (through the test-only switch) must find the canary, or the check proves nothing.
 */
@DisplayName("A packet capture of the cluster's traffic")
class CanaryCaptureIT {

  private static final Duration READY = Duration.ofSeconds(90);
  private static final int NODES = 3;
  private static final int WRITES = 30;
  /** The discard port: nothing listens there, the datagram only has to cross the bridge. */
  private static final int DISCARD_PORT = 9;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeEach
  void needsRootAndTools() {
    assumeThat(Prerequisites.missing()).as("%s", Prerequisites.missing().orElse("")).isEmpty();
    assumeThat(onPath("tcpdump")).as("tcpdump missing on PATH (apt-get install -y tcpdump)").isTrue();
  }

  @Test
  @DisplayName("holds the canary title 0 times with a secret, and more than 0 times in plain text")
  void canaryIsNeverInClearText(@TempDir Path dir) throws Exception {
    Capture encrypted = run(dir.resolve("encrypted"), "canary-test-secret");
    Capture plain = run(dir.resolve("plain"), null);
    System.out.printf("canary capture: with a secret %d occurrences in %d packets (%d bytes); "
            + "in plain text %d occurrences in %d packets (%d bytes)%n",
        encrypted.occurrences, encrypted.packets, encrypted.bytes, plain.occurrences, plain.packets, plain.bytes);
    assertThat(plain.occurrences).as("the canary in a plain-text capture (else the check cannot fail)").isPositive();
    assertThat(encrypted.packets).as("packets captured with a secret").isGreaterThan(WRITES);
    assertThat(encrypted.occurrences).as("the canary in the encrypted capture").isZero();
  }

  private record Capture(int occurrences, int packets, long bytes) {
  }

  private static Capture run(Path dir, String secret) throws Exception {
    Files.createDirectories(dir);
    String canary = "CANARY-" + UUID.randomUUID();
    Path pcap = dir.resolve("bridge.pcap");
    try (TestNetwork network = TestNetwork.create(NODES)) {
      List<NetnsNode> nodes = new ArrayList<>();
      try {
        for (int i = 0; i < NODES; i++) {
          nodes.add(NetnsNode.start(network, i, jar(), dir.resolve("n" + i), secret));
        }
        for (NetnsNode node : nodes) {
          node.awaitReady(READY);
          awaitMembers(node);
        }
        Process tcpdump = startCapture(network.bridge(), pcap);
        try {
          for (int i = 0; i < WRITES; i++) {
            NetnsNode node = nodes.get(i % NODES);
            HttpResponse<String> added = HTTP.send(HttpRequest.newBuilder(node.uri("/api/lists/canary-" + i + "/entries"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"date\":\"2026-11-22\",\"title\":\"" + canary + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
          }
          awaitCaptured(network, pcap);
        } finally {
          tcpdump.destroy(); // SIGTERM: tcpdump flushes the file and exits
          assertThat(tcpdump.waitFor(30, TimeUnit.SECONDS)).as("tcpdump stopped").isTrue();
        }
      } finally {
        for (NetnsNode node : nodes) {
          node.close();
        }
      }
    }
    byte[] captured = Files.readAllBytes(pcap);
    return new Capture(count(captured, canary.getBytes(StandardCharsets.UTF_8)), packets(captured), captured.length);
  }

  /**
   * Sends one datagram across the bridge after the writes and waits until tcpdump has written it:
   * packets reach the capture in order, so everything the writes sent is in the file by then.
   * Without this, stopping tcpdump right after a quick burst loses what it has not yet taken from
   * the kernel.
   */
  private static void awaitCaptured(TestNetwork network, Path pcap) throws Exception {
    byte[] marker = ("END-OF-WRITES-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.send(new DatagramPacket(marker, marker.length, InetAddress.getByName(network.host(0)), DISCARD_PORT));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (count(Files.readAllBytes(pcap), marker) == 0) {
      assertThat(System.nanoTime()).as("the end-of-writes datagram in the capture").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** tcpdump on the bridge, everything but HTTP, started once it says it is listening. */
  private static Process startCapture(String bridge, Path pcap) throws Exception {
    // -U: write each packet at once; -Z root: keep the right to write into the root-owned temp dir
    // --immediate-mode: each packet goes to tcpdump as it arrives, not when a kernel buffer block is
    // retired (which a SIGTERM soon after a quick burst pre-empts: the burst is lost); -B: 8 MiB of it
    Process tcpdump = new ProcessBuilder("tcpdump", "-i", bridge, "--immediate-mode", "-B", "8192", "-U", "-s", "0",
        "-Z", "root", "-w", pcap.toString(), "not", "tcp", "port", Integer.toString(NetnsNode.HTTP_PORT))
        .redirectErrorStream(true).start();
    CompletableFuture<Boolean> listening = CompletableFuture.supplyAsync(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(tcpdump.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.contains("listening on")) {
            return true;
          }
        }
        return false;
      } catch (java.io.IOException e) {
        return false;
      }
    });
    assertThat(listening.get(20, TimeUnit.SECONDS)).as("tcpdump listens on " + bridge).isTrue();
    return tcpdump;
  }

  private static void awaitMembers(NetnsNode node) throws Exception {
    long deadline = System.nanoTime() + READY.toNanos();
    String body = "";
    while (System.nanoTime() < deadline) {
      body = node.get("/api/cluster").body();
      if (body.contains("\"n0\"") && body.contains("\"n1\"") && body.contains("\"n2\"")) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("not every node in the view: " + body + "\n" + node.log());
  }

  static int count(byte[] haystack, byte[] needle) {
    int found = 0;
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      found++;
      i += needle.length - 1;
    }
    return found;
  }

  /** Records in a classic pcap file (24-byte header, then a 16-byte header and the data of each packet). */
  static int packets(byte[] pcap) {
    if (pcap.length < 24) {
      return 0;
    }
    ByteBuffer buffer = ByteBuffer.wrap(pcap);
    int magic = buffer.getInt(0);
    buffer.order(magic == 0xa1b2c3d4 || magic == 0xa1b23c4d ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    int packets = 0;
    int at = 24;
    while (at + 16 <= pcap.length) {
      at += 16 + buffer.getInt(at + 8);
      packets++;
    }
    return packets;
  }

  private static Path jar() {
    Path jar = Path.of(System.getProperty("todo.jar", "target/todo-cluster.jar"));
    assertThat(jar).as("run mvn package first").isRegularFile();
    return jar.toAbsolutePath();
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }
}
