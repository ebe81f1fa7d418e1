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
 * Write throughput of 3 node JVMs on loopback without and with a cluster secret, in one run and
 * alternating (plain, secret, plain, secret) so that a machine that gets busier half-way does not
 * favour one side. Each round: start the cluster, 5 s of warm-up, then {@link #MEASURED} of
 * {@link #CLIENTS} concurrent POSTs spread over the nodes and over {@link #LISTS} lists (most are
 * owned by another node than the one asked, so writes cross the event bus and are replicated over
 * JGroups). See BENCHMARKS.md for the command.
 */
public final class EncryptionCostBenchmark {

  static final int NODES = 3;
  static final int CLIENTS = Integer.getInteger("bench.clients", 16);
  static final int LISTS = 100;
  static final Duration WARM_UP = Duration.ofSeconds(5);
  static final Duration MEASURED = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));
  static final int ROUNDS = Integer.getInteger("bench.rounds", 2);

  private EncryptionCostBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("encryption-cost");
    double plainTotal = 0;
    double secretTotal = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      double plain = round(dir.resolve("plain-" + round), null);
      double secret = round(dir.resolve("secret-" + round), "bench-secret-" + round);
      System.out.printf("round %d: plain %.0f writes/s, secret %.0f writes/s, ratio %.3f%n", round, plain, secret,
          secret / plain);
      plainTotal += plain;
      secretTotal += secret;
    }
    System.out.printf("%d nodes, %d clients, %d s measured per setup, %d rounds: plain %.0f writes/s, "
            + "with secret %.0f writes/s, ratio secret/plain %.3f%n", NODES, CLIENTS, MEASURED.toSeconds(), ROUNDS,
        plainTotal / ROUNDS, secretTotal / ROUNDS, secretTotal / plainTotal);
    System.exit(0);
  }

  /** Writes per second of one cluster, plain when {@code secret} is null. */
  static double round(Path dir, String secret) throws Exception {
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
      load(nodes, WARM_UP);
      return load(nodes, MEASURED) / (MEASURED.toMillis() / 1000.0);
    } finally {
      for (NodeProcess node : nodes) {
        node.close();
      }
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
