package io.todocluster.support;

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
import java.util.concurrent.TimeUnit;

/**
 * A real node JVM started from the fat jar, as a user would run it: small heap, serial GC,
 * loopback only. Started from ProcessBuilder (not a shell) so that it is our direct child and
 * can be signalled by PID; its output goes to a log file in its data dir.
 */
public final class NodeProcess implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final int httpPort;
  private final Path log;

  private NodeProcess(String name, Process process, int httpPort, Path log) {
    this.name = name;
    this.process = process;
    this.httpPort = httpPort;
    this.log = log;
  }

  public static Path jar() {
    Path jar = Path.of(System.getProperty("todo.jar", "target/todo-cluster.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run mvn package first");
    }
    return jar;
  }

  /** Runs the jar with the given arguments and waits for it to end (for CLI checks). */
  public static Process run(List<String> args) throws IOException {
    List<String> command = javaCommand();
    command.addAll(args);
    return new ProcessBuilder(command).redirectErrorStream(false).start();
  }

  public static NodeProcess start(String name, Path dataDir, int httpPort, int clusterPort) throws IOException {
    return start(name, dataDir, httpPort, clusterPort, List.of());
  }

  public static NodeProcess start(String name, Path dataDir, int httpPort, int clusterPort, List<String> seeds)
      throws IOException {
    Files.createDirectories(dataDir);
    List<String> command = javaCommand();
    command.addAll(List.of("--name", name, "--http-host", "127.0.0.1", "--http-port", Integer.toString(httpPort),
        "--cluster-port", Integer.toString(clusterPort), "--data-dir", dataDir.toString(), "--bridge-port", "0"));
    if (!seeds.isEmpty()) {
      command.addAll(List.of("--seeds", String.join(",", seeds)));
    }
    Path log = dataDir.resolve(name + "-" + System.nanoTime() + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new NodeProcess(name, process, httpPort, log);
  }

  /**
   * A node with JVM options of the test's own (before {@code -jar}) and node arguments after the
   * name, HTTP and data options, e.g. DNS discovery on addresses other than 127.0.0.1.
   */
  public static NodeProcess startWith(String name, Path dataDir, int httpPort, List<String> jvmOptions,
      List<String> nodeArgs) throws IOException {
    Files.createDirectories(dataDir);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-Djava.net.preferIPv4Stack=true"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar().toString(), "--name", name, "--http-host", "127.0.0.1",
        "--http-port", Integer.toString(httpPort), "--data-dir", dataDir.toString(), "--bridge-port", "0"));
    command.addAll(nodeArgs);
    Path log = dataDir.resolve(name + "-" + System.nanoTime() + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new NodeProcess(name, process, httpPort, log);
  }

  private static List<String> javaCommand() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-Djava.net.preferIPv4Stack=true", "-jar", jar().toString()));
    return command;
  }

  /** Waits until {@code /ready} answers 200, or fails with the node's log. */
  public NodeProcess awaitReady(Duration bound) throws Exception {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("node exited with " + process.exitValue() + ":\n" + Files.readString(log));
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
    throw new IllegalStateException("node not ready after " + bound + ":\n" + Files.readString(log));
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + httpPort + path);
  }

  /** SIGTERM, then the exit code. */
  public int terminate(Duration bound) throws Exception {
    requestStop();
    return awaitExit(bound);
  }

  /** SIGTERM without waiting: the node begins its graceful stop. */
  public void requestStop() {
    process.destroy();
  }

  /** The exit code, once the node exited within the bound. */
  public int awaitExit(Duration bound) throws Exception {
    if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("node did not exit within " + bound + " of SIGTERM:\n" + Files.readString(log));
    }
    return process.exitValue();
  }

  /** SIGKILL: the JVM gets no chance to do anything. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  public long pid() {
    return process.pid();
  }

  public String name() {
    return name;
  }

  public int httpPort() {
    return httpPort;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGSTOP: the JVM is frozen, its sockets stay open; nobody hears from it. */
  public void pause() throws Exception {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause}. */
  public void resume() throws Exception {
    signal("CONT");
  }

  private void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      resume(); // a paused JVM is killed just as well, but do not leave it stopped if the kill fails
      kill();
    }
  }
}
