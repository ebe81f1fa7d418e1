package io.todocluster.netns;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real node JVM from the fat jar, run inside namespace {@code i} of a {@link TestNetwork}:
 * HTTP and cluster bound to the namespace address, the same ports in every namespace (each has
 * its own port space), and reached by the test JVM through the bridge. Like
 * {@code support.NodeProcess}, but the address is not loopback, so a cluster secret is passed,
 * through TODO_SECRET so that `ps` does not show it.
 */
public final class NetnsNode implements AutoCloseable {

  public static final int HTTP_PORT = 8080;
  public static final int CLUSTER_PORT = 7800;
  private static final String SECRET = "some-test-secret";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final TestNetwork network;
  private final int index;
  private final Process process;
  private final Path log;

  private NetnsNode(TestNetwork network, int index, Process process, Path log) {
    this.network = network;
    this.index = index;
    this.process = process;
    this.log = log;
  }

  /** Starts node {@code n<i>} with every node of the network as a seed. */
  public static NetnsNode start(TestNetwork network, int i, Path jar, Path dataDir) throws IOException {
    return start(network, i, jar, dataDir, SECRET);
  }

  /**
   * As {@link #start(TestNetwork, int, Path, Path)} with this cluster secret; null runs the node in
   * plain text through the test-only switch (the packet-capture test's control).
   */
  public static NetnsNode start(TestNetwork network, int i, Path jar, Path dataDir, String secret) throws IOException {
    Files.createDirectories(dataDir);
    List<String> seeds = new ArrayList<>();
    for (int j = 0; j < network.size(); j++) {
      seeds.add(network.host(j) + ":" + CLUSTER_PORT);
    }
    String host = network.host(i);
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-Djava.net.preferIPv4Stack=true",
        "-Dtodo.test.plaintext-cluster=" + (secret == null)));
    // extra JVM options for every node, to debug a run (a logback file with TRACE, say)
    String extra = System.getProperty("todo.node.jvmArgs", "").trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(List.of("-jar", jar.toString(),
        "--name", "n" + i, "--http-host", host, "--http-port", Integer.toString(HTTP_PORT),
        "--cluster-host", host, "--cluster-port", Integer.toString(CLUSTER_PORT),
        "--data-dir", dataDir.toString(), "--bridge-port", "0", "--seeds", String.join(",", seeds),
        "--owners", Integer.toString(owners(network.size()))));
    Path log = dataDir.resolve("n" + i + "-" + System.nanoTime() + ".log");
    Process process = network.start(i, command, secret == null ? Map.of() : Map.of("TODO_SECRET", secret), log);
    return new NetnsNode(network, i, process, log);
  }

  /**
   * Copies of each entry: a majority of the nodes (2 of 3, 3 of 5), so that whichever side of a
   * partition holds a majority of the nodes also holds a copy of every entry and stays available.
   * With 2 copies on 5 nodes, a 2|3 split can leave some entries with no copy on the majority side,
   * and the store then denies reads and writes on both sides (the long matrix's first run).
   */
  static int owners(int nodes) {
    return nodes / 2 + 1;
  }

  /** Waits until {@code /ready} answers 200 over the bridge, or fails with the node's log. */
  public NetnsNode awaitReady(Duration bound) throws Exception {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("node exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        if (get("/ready").statusCode() == 200) {
          return this;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("node not ready after " + bound + ":\n" + log());
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public URI uri(String path) {
    return base(network, index).resolve(path);
  }

  /** The base URI of node {@code i}'s HTTP API, whether or not it runs (a client may be pointed at it before). */
  public static URI base(TestNetwork network, int i) {
    return URI.create("http://" + network.host(i) + ":" + HTTP_PORT + "/");
  }

  /** The JVM's own PID (`ip netns exec` execs java), for {@link Nemesis#kill} and friends. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, then the exit code. */
  public int terminate(Duration bound) throws Exception {
    process.destroy();
    if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("node did not exit within " + bound + " of SIGTERM:\n" + log());
    }
    return process.exitValue();
  }

  /** Waits until the process has exited (after a kill), or fails. */
  public void awaitExit(Duration bound) throws Exception {
    if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("node " + index + " (pid " + pid() + ") still runs " + bound + " after it was stopped");
    }
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  /** How long this run's log is now, in bytes: an offset for {@link #logFrom}. */
  public long logLength() throws IOException {
    return Files.size(log);
  }

  /** What this run logged from {@code offset} (bytes) on, e.g. since a fault was healed. */
  public String logFrom(long offset) throws IOException {
    try (var channel = java.nio.channels.FileChannel.open(log)) {
      long length = channel.size();
      java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate((int) Math.max(0, length - offset));
      while (bytes.hasRemaining() && channel.read(bytes, offset + bytes.position()) >= 0) {
        // read until the snapshot's end
      }
      return new String(bytes.array(), 0, bytes.position(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** The node's index in its network (n0 is 0). */
  public int index() {
    return index;
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroyForcibly(); // SIGKILL ends a SIGSTOPped JVM too
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
