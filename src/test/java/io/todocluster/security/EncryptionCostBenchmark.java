package io.todocluster.security;

import io.todocluster.support.NodeProcess;
import io.todocluster.support.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Write throughput of 3 node JVMs on loopback without and with a cluster secret, in one run. Both
 * clusters run at the same time and the load alternates between them in {@link #SLICE} slices
 * (plain, secret, plain, ...), so that whatever else the machine does at a moment weighs on both
 * alike; an idle cluster costs next to nothing. Each cluster gets 5 s of warm-up, then
 * {@link #MEASURED} of load in total: {@link #CLIENTS} concurrent POSTs spread over the nodes and
 * over {@link #LISTS} lists (most are owned by another node than the one asked, so writes cross
 * the event bus and are replicated over JGroups). See BENCHMARKS.md for the command.
 */
public final class EncryptionCostBenchmark {

  static final int NODES = 3;
  static final int CLIENTS = Integer.getInteger("bench.clients", 16);
  static final int LISTS = 100;
  static final Duration WARM_UP = Duration.ofSeconds(5);
  static final Duration MEASURED = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));
  static final Duration SLICE = Duration.ofSeconds(2);

  private EncryptionCostBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("encryption-cost");
    List<NodeProcess> plain = List.of();
    List<NodeProcess> secret = List.of();
    try {
      plain = cluster(dir.resolve("plain"), null);
      secret = cluster(dir.resolve("secret"), "bench-secret");
      load(plain, WARM_UP);
      load(secret, WARM_UP);
      long plainWrites = 0;
      long secretWrites = 0;
      for (long slices = MEASURED.toMillis() / SLICE.toMillis(); slices > 0; slices--) {
        plainWrites += load(plain, SLICE);
        secretWrites += load(secret, SLICE);
      }
      double seconds = MEASURED.toMillis() / 1000.0;
      System.out.printf("%d nodes, %d clients, %d s per setup in %d s slices, interleaved: plain %.0f writes/s, "
              + "with secret %.0f writes/s, ratio secret/plain %.3f%n", NODES, CLIENTS, MEASURED.toSeconds(),
          SLICE.toSeconds(), plainWrites / seconds, secretWrites / seconds, (double) secretWrites / plainWrites);
    } finally {
      for (NodeProcess node : concat(plain, secret)) {
        node.close();
      }
    }
    System.exit(0);
  }

  private static List<NodeProcess> concat(List<NodeProcess> a, List<NodeProcess> b) {
    List<NodeProcess> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** A ready cluster of {@link #NODES} node JVMs, plain when {@code secret} is null. */
  static List<NodeProcess> cluster(Path dir, String secret) throws Exception {
    List<Integer> clusterPorts = new ArrayList<>();
    List<String> seeds = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      clusterPorts.add(TestNodes.freePort());
      seeds.add("127.0.0.1:" + clusterPorts.get(i));
    }
    List<NodeProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < NODES; i++) {
        List<String> args = new ArrayList<>(List.of("--cluster-port", Integer.toString(clusterPorts.get(i)),
            "--seeds", String.join(",", seeds)));
        if (secret != null) {
          args.addAll(List.of("--secret", secret));
        }
        nodes.add(NodeProcess.startWith("n" + i, dir.resolve("n" + i), TestNodes.freePort(), List.of(), args));
      }
      for (NodeProcess node : nodes) {
        node.awaitReady(Duration.ofSeconds(90));
      }
      awaitMembers(nodes);
      return nodes;
    } catch (Exception e) {
      for (NodeProcess node : nodes) {
        node.close();
      }
      throw e;
    }
  }

  /** Successful writes made by {@link #CLIENTS} threads within {@code duration}. */
  static long load(List<NodeProcess> nodes, Duration duration) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    LongAdder written = new LongAdder();
    LongAdder failed = new LongAdder();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      clients.execute(() -> {
        int n = 0;
        while (running.get()) {
          NodeProcess node = nodes.get((client + n++) % nodes.size());
          String list = "bench-" + ThreadLocalRandom.current().nextInt(LISTS);
          try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.httpPort() + "/api/lists/" + list + "/entries"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"date\":\"2026-11-22\",\"title\":\"benchmark entry\"}"))
                .build(), HttpResponse.BodyHandlers.discarding());
            (response.statusCode() == 201 ? written : failed).increment();
          } catch (Exception e) {
            failed.increment();
          }
        }
      });
    }
    Thread.sleep(duration.toMillis()); // the measured window itself: the one place time is the point
    running.set(false);
    clients.shutdown();
    clients.awaitTermination(30, TimeUnit.SECONDS);
    if (failed.sum() > 0) {
      System.out.println("  (" + failed.sum() + " writes failed in this window)");
    }
    return written.sum();
  }

  private static void awaitMembers(List<NodeProcess> nodes) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (NodeProcess node : nodes) {
      while (!node.get("/api/cluster").body().contains("\"n" + (NODES - 1) + "\"")
          || !node.get("/api/cluster").body().contains("\"n0\"")) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("cluster did not form:\n" + node.log());
        }
        Thread.sleep(200);
      }
    }
  }
}
