package io.todocluster.fuzz;

import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many inputs a fuzz target tries, and from which seed. {@code mvn verify} runs a few hundred
 * (regression mode: seconds); {@code -Dtodo.fuzz.inputs=100000} runs a long search, and
 * {@code -Dtodo.fuzz.seed=N} replays a run. Input {@code i} comes from its own
 * {@code Random(seed + i)}, so one failing input can be replayed alone with its index.
 */
final class FuzzRun {

  static final String INPUTS_PROPERTY = "todo.fuzz.inputs";
  static final String SEED_PROPERTY = "todo.fuzz.seed";
  /** Replays only these inputs of the seed (comma-separated indexes), e.g. the suspects of a run. */
  static final String ONLY_PROPERTY = "todo.fuzz.only";

  private static final Logger log = LoggerFactory.getLogger(FuzzRun.class);

  final String target;
  final int inputs;
  final long seed;

  private FuzzRun(String target, int inputs, long seed) {
    this.target = target;
    this.inputs = inputs;
    this.seed = seed;
  }

  /** @param regressionInputs the count when no property asks for more: a few seconds' worth */
  static FuzzRun of(String target, int regressionInputs) {
    int inputs = Integer.getInteger(INPUTS_PROPERTY, regressionInputs);
    String seedProperty = System.getProperty(SEED_PROPERTY);
    long seed = seedProperty != null ? Long.parseLong(seedProperty) : new Random().nextLong();
    // printed so that a failure can be replayed with -Dtodo.fuzz.seed
    log.info("fuzz {}: {} inputs, seed {} (replay with -D{}={})", target, inputs, seed, SEED_PROPERTY, seed);
    return new FuzzRun(target, inputs, seed);
  }

  Random random(int input) {
    return new Random(seed + input);
  }

  /** Whether this run replays chosen inputs only (then a check that the run was not vacuous does not apply). */
  boolean replaying() {
    String only = System.getProperty(ONLY_PROPERTY);
    return only != null && !only.isBlank();
  }

  /** The indexes to run: 0..inputs-1, or those -Dtodo.fuzz.only names. */
  int[] indexes() {
    String only = System.getProperty(ONLY_PROPERTY);
    if (only == null || only.isBlank()) {
      return java.util.stream.IntStream.range(0, inputs).toArray();
    }
    return java.util.Arrays.stream(only.split(",")).mapToInt(i -> Integer.parseInt(i.trim())).toArray();
  }

  String replay(int input) {
    return target + " input " + input + " of seed " + seed + " (-D" + SEED_PROPERTY + "=" + seed + ")";
  }
}
