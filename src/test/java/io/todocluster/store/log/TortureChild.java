package io.todocluster.store.log;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@link TortureWriter} as seen from the test: started with the test's own class path,
 * its stdout read line by line into a file. Facts (announced and acknowledged writes) are kept in
 * order; of the other lines (logs), those that look like a store's error are counted. A line cut by
 * the kill (no newline) is dropped, never mistaken for a whole one.
 */
final class TortureChild {

  /** Generous: a JVM with Infinispan starts in 1-3 s, slower on a loaded 2-core machine. */
  private static final Duration START_BOUND = Duration.ofSeconds(90);
  private static final Duration ACK_BOUND = Duration.ofSeconds(60);
  private static final Duration STOP_BOUND = Duration.ofSeconds(60);
  private static final String END = "\u0000end of output";

  /** The child's check at start; {@code exited}: the store did not start or its check threw, the child is gone. */
  record Verification(long checked, List<String> failures, boolean exited) { }

  private final Process process;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> facts = new ArrayList<>();
  private final Writer log;
  private int acknowledged;
  private int storeErrorLines;
  private int tornTails;
  private boolean ended;

  private TortureChild(Process process, Writer log) {
    this.process = process;
    this.log = log;
    Thread reader = new Thread(this::read, "torture-child-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  static TortureChild start(String kind, Path stateDir, Path expectations, int run, boolean sync, int writers,
      Path logFile) throws IOException {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // C1 only: a third less start-up time, and the run is about restarts, not peak speed
        "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
        "-cp", System.getProperty("java.class.path"), TortureWriter.class.getName(),
        kind, stateDir.toString(), expectations.toString(), Integer.toString(run), Boolean.toString(sync),
        Integer.toString(writers));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    return new TortureChild(process, Files.newBufferedWriter(logFile));
  }

  /** Waits for the child's check of what must be there; a child that cannot start is a failure too. */
  Verification awaitVerification() throws Exception {
    List<String> failures = new ArrayList<>();
    long deadline = System.nanoTime() + START_BOUND.toNanos();
    while (true) {
      String line = next(deadline, "its check at start");
      if (line == END) {
        if (failures.isEmpty()) {
          failures.add("the child exited with " + process.waitFor() + " before its check was done");
        }
        return new Verification(0, failures, true);
      } else if (line.startsWith(TortureWriter.VERIFIED)) {
        long checked = Long.parseLong(line.replaceAll(".*checked=(\\d+).*", "$1"));
        return new Verification(checked, failures, false);
      } else if (line.startsWith(TortureWriter.START_FAILED) || line.startsWith(TortureWriter.CHECK_FAILED)
          || line.startsWith(TortureWriter.MISSING)
          || line.startsWith(TortureWriter.WRONG) || line.startsWith(TortureWriter.RESURRECTED)) {
        failures.add(line);
      }
    }
  }

  /** Waits for this many acknowledged puts; false if the child exited first. */
  boolean awaitAcknowledgements(int count) throws Exception {
    long deadline = System.nanoTime() + ACK_BOUND.toNanos();
    while (acknowledged < count) {
      if (next(deadline, count + " acknowledged writes") == END) {
        return false;
      }
    }
    return true;
  }

  /**
   * SIGKILL: the JVM gets no chance to finish a write or flush anything. Sent through the process
   * handle, since {@code Process.destroyForcibly} also closes our end of the pipe, and the facts
   * still in it would be lost.
   */
  void kill() throws InterruptedException {
    if (process.isAlive()) {
      process.toHandle().destroyForcibly();
    }
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: Infinispan's shutdown hook stops the cache manager and its stores; false if it took too long. */
  boolean stop() throws InterruptedException {
    process.toHandle().destroy();
    boolean stopped = process.waitFor(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
    kill();
    return stopped;
  }

  /**
   * After the end: reads the rest of the output and applies the facts, in order, to what must be
   * there (key -> version, 0 for absent). A write announced but not acknowledged may have landed or
   * not: its key is no longer checked. Returns the acknowledged writes.
   */
  long applyTo(Map<String, Integer> expected) throws Exception {
    long deadline = System.nanoTime() + ACK_BOUND.toNanos();
    while (next(deadline, "the end of its output") != END) {
      // reading to the end records the last facts
    }
    long acknowledgements = 0;
    for (String fact : facts) {
      String[] parts = fact.split(" ");
      switch (fact.substring(0, 2)) {
        case TortureWriter.PUTTING, TortureWriter.REMOVING -> expected.remove(parts[1]);
        case TortureWriter.PUT -> {
          expected.put(parts[1], Integer.parseInt(parts[2]));
          acknowledgements++;
        }
        case TortureWriter.REMOVED -> {
          expected.put(parts[1], 0);
          acknowledgements++;
        }
        default -> throw new IllegalStateException("not a fact: " + fact);
      }
    }
    log.close();
    return acknowledgements;
  }

  int storeErrorLines() {
    return storeErrorLines;
  }

  int tornTails() {
    return tornTails;
  }

  private String next(long deadline, String waitingFor) throws Exception {
    if (ended) {
      return END;
    }
    String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    if (line == null) {
      throw new IllegalStateException("the child (pid " + process.pid() + ") did not report " + waitingFor
          + " in time");
    }
    if (line == END) {
      ended = true;
      log.flush();
      return END;
    }
    log.write(line + "\n");
    if (line.startsWith(TortureWriter.PUTTING) || line.startsWith(TortureWriter.PUT)
        || line.startsWith(TortureWriter.REMOVING) || line.startsWith(TortureWriter.REMOVED)) {
      facts.add(line);
      if (line.startsWith(TortureWriter.PUT)) {
        acknowledged++;
      }
    } else {
      if (line.contains("Negative size") || line.contains("SIFS may not operate") || line.contains(" ERROR ")) {
        storeErrorLines++;
      } else if (line.contains("is torn")) {
        tornTails++; // the log store's recovery cut a record that the kill tore
      }
    }
    return line;
  }

  /** Whole lines only: bytes after the last newline were cut by the kill. */
  private void read() {
    try (InputStream in = process.getInputStream()) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) >= 0; ) {
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            lines.add(line.toString(StandardCharsets.UTF_8));
            line.reset();
          } else {
            line.write(buf[i]);
          }
        }
      }
    } catch (IOException e) {
      lines.add("reading the child's output failed: " + e);
    } finally {
      lines.add(END);
    }
  }
}
