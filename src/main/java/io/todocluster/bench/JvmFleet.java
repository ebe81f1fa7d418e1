package io.todocluster.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Every JVM the bench starts, from the fat jar, on loopback: node JVMs as a user runs them and
 * baseline mains ({@code -cp jar io.todocluster.bench.X}) in the same kind of JVM. Each is killed
 * by its PID when a benchmark is done with it, when the bench ends, and from a shutdown hook if
 * the bench itself is interrupted.
 */
public final class JvmFleet implements AutoCloseable {

  /** The JVM flags every node and baseline runs with: what the tests and the brief use. */
  static final List<String> JVM_FLAGS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-Djava.net.preferIPv4Stack=true");
  /** A joining node spends ~2.5 s in state transfer, a first node 2 s in join_timeout (measured): 60 s is ample. */
  static final Duration READY_BOUND = Duration.ofSeconds(60);

  private final Path jar;
  private final Path workDir;
  private final List<Jvm> started = new CopyOnWriteArrayList<>();
  private final Thread hook = new Thread(this::killAll, "bench-cleanup");

  public JvmFleet(Path jar) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run mvn package first");
    }
    this.jar = jar;
    this.workDir = Files.createTempDirectory("todo-bench");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  public Path workDir() {
    return workDir;
  }

  /** A node JVM ({@code -jar}), not waited for. Extra JVM flags go before -jar, extra args after ours. */
  public Jvm startNode(String name, int clusterPort, List<Integer> seedPorts, List<String> jvmFlags,
      List<String> extraArgs) throws IOException {
    int httpPort = Ports.free();
    Path dataDir = Files.createDirectories(workDir.resolve(name + "-" + System.nanoTime()));
    List<String> command = java(jvmFlags);
    command.addAll(List.of("-jar", jar.toString(), "--name", name, "--http-host", "127.0.0.1",
        "--http-port", Integer.toString(httpPort), "--cluster-port", Integer.toString(clusterPort),
        "--bridge-port", "0", "--data-dir", dataDir.toString()));
    if (!seedPorts.isEmpty()) {
      command.addAll(List.of("--seeds", String.join(",", seedPorts.stream().map(p -> "127.0.0.1:" + p).toList())));
    }
    command.addAll(extraArgs);
    return launch(name, command, dataDir, httpPort, clusterPort);
  }

  /** Where a main's arguments name its own data directory. */
  static final String DATA_DIR_TOKEN = "{data}";

  /** A main class of this package from the same jar, in the same kind of JVM; {data} in args is its own data dir. */
  public Jvm startMain(String name, Class<?> mainClass, int httpPort, int clusterPort, List<String> args)
      throws IOException {
    Path dataDir = Files.createDirectories(workDir.resolve(name + "-" + System.nanoTime()));
    List<String> command = java(List.of());
    command.addAll(List.of("-cp", jar.toString(), mainClass.getName()));
    args.forEach(arg -> command.add(arg.replace(DATA_DIR_TOKEN, dataDir.toString())));
    return launch(name, command, dataDir, httpPort, clusterPort);
  }

  /**
   * n nodes: the first alone, then the others joining it together; returns once the first node
   * lists all of them as members and every node is ready.
   */
  public List<Jvm> startCluster(String prefix, int n, List<String> jvmFlags, List<String> extraArgs) throws Exception {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ports.add(Ports.freeClusterPort());
    }
    List<Jvm> nodes = new ArrayList<>();
    nodes.add(startNode(prefix + "1", ports.get(0), ports, jvmFlags, extraArgs));
    nodes.get(0).awaitReady(READY_BOUND);
    for (int i = 1; i < n; i++) {
      nodes.add(startNode(prefix + (i + 1), ports.get(i), ports, jvmFlags, extraArgs));
    }
    for (Jvm node : nodes) {
      node.awaitReady(READY_BOUND);
    }
    awaitMembers(nodes.get(0), n, READY_BOUND);
    return nodes;
  }

  /** Waits until the node's GET /api/cluster lists the given number of members. */
  static JsonObject awaitMembers(Jvm node, int count, Duration bound) throws Exception {
    long deadline = System.nanoTime() + bound.toNanos();
    JsonObject cluster = null;
    while (System.nanoTime() < deadline) {
      var response = node.get("/api/cluster");
      if (response.statusCode() == 200) {
        cluster = new JsonObject(response.body());
        if (cluster.getJsonArray("members").size() == count) {
          return cluster;
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(node.name() + " did not see " + count + " members within " + bound + ": " + cluster);
  }

  /** Our flags then the extra ones; a collector among the extra ones replaces ours (the JVM refuses two). */
  static List<String> java(List<String> extraFlags) {
    boolean ownCollector = extraFlags.stream().anyMatch(JvmFleet::selectsCollector);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    JVM_FLAGS.stream().filter(flag -> !(ownCollector && selectsCollector(flag))).forEach(command::add);
    command.addAll(extraFlags);
    return command;
  }

  private static boolean selectsCollector(String flag) {
    return flag.startsWith("-XX:+Use") && flag.endsWith("GC");
  }

  private Jvm launch(String name, List<String> command, Path dataDir, int httpPort, int clusterPort)
      throws IOException {
    Path log = dataDir.resolve(name + ".log");
    long at = System.currentTimeMillis();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Jvm jvm = new Jvm(name, process, log, httpPort, clusterPort, at);
    started.add(jvm);
    return jvm;
  }

  /** Kills the given JVMs (a benchmark's cluster once it is measured). */
  public void stop(List<Jvm> jvms) {
    jvms.forEach(Jvm::killQuietly);
  }

  /** Kills every JVM still alive, each by its PID. */
  void killAll() {
    started.forEach(Jvm::killQuietly);
  }

  /** Kills everything; deletes the work dir unless asked to keep it (its logs explain a failure). */
  public void close(boolean keepWorkDir) throws IOException {
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
    if (!keepWorkDir) {
      try (Stream<Path> paths = Files.walk(workDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Override
  public void close() throws IOException {
    close(false);
  }
}
