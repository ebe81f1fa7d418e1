package io.todocluster.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One JVM the bench started (a node, or a baseline main from the same jar), its output in a log
 * file. It is our direct child, so it can be signalled by PID; {@link JvmFleet} kills it at the end.
 */
public final class Jvm {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  /** How often readiness and log lines are polled: well below the figures measured (100s of ms). */
  static final long POLL_MILLIS = 10;

  private final String name;
  private final Process process;
  private final Path log;
  private final int httpPort;
  private final int clusterPort;
  /** System.currentTimeMillis() just before the JVM was started, for start-to-ready times. */
  private final long startedAtMillis;

  Jvm(String name, Process process, Path log, int httpPort, int clusterPort, long startedAtMillis) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
    this.clusterPort = clusterPort;
    this.startedAtMillis = startedAtMillis;
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public int httpPort() {
    return httpPort;
  }

  public int clusterPort() {
    return clusterPort;
  }

  public long startedAtMillis() {
    return startedAtMillis;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for {@code GET /ready} to answer 200; returns System.currentTimeMillis() when it did. */
  public long awaitReady(Duration bound) throws Exception {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      failIfDead();
      try {
        if (get("/ready").statusCode() == 200) {
          return System.currentTimeMillis();
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(POLL_MILLIS);
    }
    throw new IllegalStateException(name + " not ready after " + bound + "; log: " + log);
  }

  /** The first match of the pattern in the log (group 1 if it has one), waiting up to the bound. */
  public String awaitLine(Pattern pattern, Duration bound) throws Exception {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> found = findLine(pattern);
      if (found.isPresent()) {
        return found.get();
      }
      failIfDead();
      Thread.sleep(POLL_MILLIS);
    }
    throw new IllegalStateException(name + ": no line matching " + pattern + " within " + bound + "; log: " + log);
  }

  /** The first match of the pattern in the log so far (group 1 if it has one). */
  public Optional<String> findLine(Pattern pattern) throws IOException {
    if (!Files.exists(log)) {
      return Optional.empty();
    }
    Matcher m = pattern.matcher(Files.readString(log));
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(m.groupCount() >= 1 ? m.group(1) : m.group());
  }

  /** Every match of the pattern in the log so far (group 1 if it has one). */
  public List<String> allLines(Pattern pattern) throws IOException {
    if (!Files.exists(log)) {
      return List.of();
    }
    return pattern.matcher(Files.readString(log)).results()
        .map(r -> r.groupCount() >= 1 ? r.group(1) : r.group()).toList();
  }

  /** Resident set size in bytes, from /proc/<pid>/status (VmRSS is in kB). */
  public long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid());
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

  /** SIGKILL, and waits until the process is gone. Returns System.currentTimeMillis() just before the signal. */
  public long kill9() throws InterruptedException {
    long at = System.currentTimeMillis();
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    return at;
  }

  /** SIGTERM: the node leaves gracefully (hands off its lists); not waited for. Returns the time just before the signal. */
  public long terminate() {
    long at = System.currentTimeMillis();
    process.destroy();
    return at;
  }

  /**
   * SIGSTOP: the JVM is frozen with its sockets open, so only heartbeats can tell. Returns
   * System.currentTimeMillis() just before the signal. The fleet's clean-up resumes and kills it.
   */
  public long pause() throws IOException, InterruptedException {
    long at = System.currentTimeMillis();
    Process kill = new ProcessBuilder("kill", "-STOP", Long.toString(pid())).start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -STOP " + pid() + " failed");
    }
    return at;
  }

  /** SIGCONT (in case it was stopped) then SIGKILL; used by the fleet's clean-up. */
  void killQuietly() {
    if (!process.isAlive()) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-CONT", Long.toString(pid())).start().waitFor(5, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException ignored) {
      // SIGKILL below works on a stopped process too
    }
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public Path log() {
    return log;
  }

  private void failIfDead() {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log: " + log);
    }
  }
}
