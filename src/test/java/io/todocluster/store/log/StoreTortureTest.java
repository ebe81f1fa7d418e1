package io.todocluster.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts at random points, then checks: a child JVM ({@link TortureWriter}) writes to a local
 * cache on the store as fast as it can and says which writes were acknowledged; this test ends it
 * after a random number of acknowledgements, mostly by kill -9 and sometimes by a clean stop (the
 * soft-index file store's index is only reused after a clean stop), restarts it on the same
 * directory, and has it check that the store starts, every acknowledged put is there with its
 * newest value and every acknowledged remove stays removed. A write announced but not acknowledged
 * when the end came may have landed or not: its key is no longer checked.
 *
 * <p>{@code -Dtodo.torture.restarts=N} (default 15), {@code -Dtodo.torture.seed=S} repeats a run's
 * choices, and {@code -Dtodo.torture.sifs=true} runs the same torture on Infinispan's soft-index
 * file store, the store the log replaced.
 */
@DisplayName("A store restarted at random points")
class StoreTortureTest {

  private static final Logger log = LoggerFactory.getLogger(StoreTortureTest.class);

  /**
   * 15 by default: a start of a JVM with Infinispan costs about 2.5 s of CPU on a 2-core machine,
   * and the whole test should stay well under a minute there.
   */
  private static final int RESTARTS = Integer.getInteger("todo.torture.restarts", 15);
  /** The most acknowledgements before an end: a thousand records a run on average, well under a second of writing. */
  private static final int MAX_ACKS_BEFORE_END = 2000;
  /** One end in four is a clean stop, the rest kill -9. */
  private static final int CLEAN_STOP_ONE_IN = 4;
  private static final int WRITERS = 4;

  /** Kept when a test fails: the children's output and the store's files are the evidence. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private final List<TortureChild> children = new ArrayList<>();

  @AfterEach
  void killChildren() throws InterruptedException {
    for (TortureChild child : children) {
      child.kill();
    }
  }

  /** What a torture found; {@code failures} is empty when the store always started and kept every write. */
  record Outcome(int starts, int failedStarts, int kills, int cleanStops, long acknowledged, long checked,
      List<String> failures, int storeErrorLines, int tornTails) { }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  @DisplayName("the log store starts after every kill -9 or stop and keeps every acknowledged write")
  void logStore() throws Exception {
    Outcome outcome = torture("log");
    assertThat(outcome.failures()).isEmpty();
    assertThat(outcome.storeErrorLines()).as("error lines, e.g. damage in the middle of a log").isZero();
    assertThat(outcome.kills() + outcome.cleanStops()).isEqualTo(RESTARTS);
  }

  @Test
  @EnabledIfSystemProperty(named = "todo.torture.sifs", matches = "true")
  @Timeout(value = 60, unit = TimeUnit.MINUTES)
  @DisplayName("Infinispan's soft-index file store, under the same torture, starts and keeps every acknowledged write")
  void softIndexFileStore() throws Exception {
    Outcome outcome = torture("sifs");
    assertThat(outcome.failures()).isEmpty();
  }

  private Outcome torture(String kind) throws Exception {
    long seed = Long.getLong("todo.torture.seed", System.nanoTime());
    log.info("torturing the {} store: {} restarts, seed {} (-Dtodo.torture.seed={} repeats the choices)",
        kind, RESTARTS, seed, seed);
    Random random = new Random(seed);
    Map<String, Integer> expected = new LinkedHashMap<>(); // key -> version present, 0 for absent
    List<String> failures = new ArrayList<>();
    long acknowledged = 0;
    long checked = 0;
    int kills = 0;
    int cleanStops = 0;
    int failedStarts = 0;
    int storeErrors = 0;
    int tornTails = 0;
    long began = System.nanoTime();
    for (int start = 0; start <= RESTARTS; start++) {
      Path expectations = dir.resolve("expected-" + start);
      writeExpectations(expected, expectations);
      TortureChild child = TortureChild.start(kind, dir.resolve("state"), expectations, start, random.nextBoolean(),
          WRITERS, dir.resolve("child-" + start + ".log"));
      children.add(child);
      TortureChild.Verification verification = child.awaitVerification();
      checked += verification.checked();
      String after = "start " + start + " (after " + kills + " kills, " + cleanStops + " stops): ";
      verification.failures().forEach(failure -> failures.add(after + failure));
      if (verification.exited()) {
        failedStarts++;
      } else if (start < RESTARTS) {
        int endAfter = 1 + random.nextInt(MAX_ACKS_BEFORE_END);
        boolean clean = random.nextInt(CLEAN_STOP_ONE_IN) == 0;
        if (!child.awaitAcknowledgements(endAfter)) {
          failures.add(after + "the child exited on its own before " + endAfter + " acknowledged writes");
        } else if (clean) {
          if (!child.stop()) {
            failures.add(after + "a clean stop did not end the child in time; it was killed");
          }
          cleanStops++;
        } else {
          child.kill();
          kills++;
        }
      }
      child.kill();
      acknowledged += child.applyTo(expected);
      storeErrors += child.storeErrorLines();
      tornTails += child.tornTails();
    }
    Outcome outcome = new Outcome(RESTARTS + 1, failedStarts, kills, cleanStops, acknowledged, checked, failures,
        storeErrors, tornTails);
    log.info("torture of the {} store (seed {}): {} starts ({} failed: the store did not start or could not be "
        + "read), {} kills, {} clean stops, {} writes acknowledged, {} checks, {} failures, {} store error lines, "
        + "{} torn tails cut, {} s{}", kind, seed, outcome.starts(), failedStarts, kills, cleanStops, acknowledged,
        checked, failures.size(), storeErrors, tornTails, (System.nanoTime() - began) / 1_000_000_000,
        failures.isEmpty() ? "" : "; first failures: " + failures.subList(0, Math.min(10, failures.size())));
    return outcome;
  }

  private static void writeExpectations(Map<String, Integer> expected, Path file) throws IOException {
    List<String> lines = new ArrayList<>(expected.size());
    expected.forEach((key, version) ->
        lines.add(version > 0 ? TortureWriter.PUT + key + " " + version : TortureWriter.REMOVED + key));
    Files.write(file, lines);
  }
}
