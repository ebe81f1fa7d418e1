package io.todocluster.jepsen;

import io.todocluster.jepsen.Anomaly.Kind;
import io.todocluster.netns.Nemesis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long matrix of issue 5, run by the {@code long-matrix} Maven profile
 * ({@code mvn -P long-matrix verify}, {@code -Dtodo.longMatrix.repeats=N}): five node
 * JVMs, every fault, each repeated with a recorded seed; since issue 13 also the events that
 * touch the whole cluster ({@link WholeCluster}). It writes its table (the body of
 * RELIABILITY.md) to target/jepsen/RELIABILITY-long.md and fails if any run lost, duplicated or
 * resurrected a write, served a stale read outside the nodes its scenario allows one on, or (the
 * rolling restart, behind a balancer) saw a request fail or end unknown.
 */
@org.junit.jupiter.api.DisplayName("The long fault matrix: five nodes, every fault, repeated")
@org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "todo.longMatrix", matches = "true")
class LongMatrixIT {

  private static final Logger log = LoggerFactory.getLogger(LongMatrixIT.class);
  private static final int NODES = 5;

  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.DisplayName("loses, duplicates and resurrects nothing, and serves no stale read outside the faulted nodes")
  void longMatrix() throws Exception {
    org.assertj.core.api.Assumptions.assumeThat(io.todocluster.netns.Prerequisites.missing()).isEmpty();
    int repeats = Integer.getInteger("todo.longMatrix.repeats", 2);
    // -Dtodo.longMatrix.faults=split,isolate runs only those (to chase one fault); all by default
    Set<String> only = Set.of(System.getProperty("todo.longMatrix.faults", "").split(","));
    Path work = Files.createTempDirectory("long-matrix");
    List<Matrix.Result> results = new ArrayList<>();
    for (int r = 0; r < repeats; r++) {
      for (Matrix.Scenario scenario : scenarios()) {
        if (!only.equals(Set.of("")) && !only.contains(scenario.name())) {
          continue;
        }
        long seed = System.nanoTime();
        Path dir = work.resolve(scenario.name() + "-" + seed);
        Matrix.Result result = Matrix.run(scenario, NODES, dir, seed);
        log.info("{} seed {}: {} {}", result.name(), seed, result.outcomes(), result.check().counts());
        results.add(result);
      }
    }
    Path table = Path.of("target", "jepsen", "RELIABILITY-long.md");
    Files.writeString(table, table(results));
    long bad = results.stream().filter(r -> r.violations() > 0).count();
    log.info("long matrix: {} runs, {} with anomalies; table in {}", results.size(), bad, table);
    org.assertj.core.api.Assertions.assertThat(bad).as("runs with anomalies; see " + table).isZero();
  }

  private static List<Matrix.Scenario> scenarios() {
    List<Matrix.Scenario> scenarios = new ArrayList<>(List.of(
        Matrix.Scenario.single("kill-9", Set.of("n0"), cluster -> {
          cluster.kill(0);
          Thread.sleep(15_000);
          cluster.startWithEmptyDisk(0);
          cluster.awaitReady(0);
        }),
        Matrix.Scenario.single("pause-3s", Set.of("n0"), cluster -> {
          cluster.pause(0);
          Thread.sleep(3_000);
          cluster.resume(0);
          Thread.sleep(17_000);
        }),
        Matrix.Scenario.single("pause-20s", Set.of("n0"), cluster -> {
          cluster.pause(0);
          Thread.sleep(20_000);
          cluster.resume(0);
        }),
        Matrix.Scenario.single("isolate", Set.of("n0"), cluster -> {
          Nemesis nemesis = new Nemesis(cluster.network());
          nemesis.isolate(0);
          Thread.sleep(20_000);
          nemesis.heal();
        }),
        Matrix.Scenario.single("split", Set.of("n0", "n1"), cluster -> {
          Nemesis nemesis = new Nemesis(cluster.network());
          nemesis.split(Set.of(0, 1), Set.of(2, 3, 4));
          Thread.sleep(20_000);
          nemesis.heal();
        }),
        Matrix.Scenario.single("bridge", Set.of("n0", "n1"), cluster -> {
          Nemesis nemesis = new Nemesis(cluster.network());
          nemesis.bridge(Set.of(0, 1), 2, Set.of(3, 4));
          Thread.sleep(20_000);
          nemesis.heal();
        }),
        Matrix.Scenario.single("loss-20pct", Set.of("n0"), cluster -> {
          Nemesis nemesis = new Nemesis(cluster.network());
          nemesis.loss(0, 20);
          Thread.sleep(20_000);
          nemesis.heal();
        })));
    scenarios.addAll(WholeCluster.all(NODES));
    return scenarios;
  }

  private static String table(List<Matrix.Result> results) {
    StringBuilder out = new StringBuilder("| fault | seed | ok | fail | info | lost | dup | resurrected | stale reads (allowed / others) "
        + "| out of order (others) | divergence | ids twice | availability faulted / others | converged after load (ms) |\n"
        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Matrix.Result r : results) {
      Map<Op.Type, Long> o = r.outcomes();
      CheckResult c = r.check();
      long stale = c.count(Kind.STALE_READ);
      long others = r.staleReadsOutsideAllowed();
      out.append(String.format("| %s | %d | %d | %d | %d | %d | %d | %d | %d / %d | %d | %d | %d | %s / %s | %d |%n", r.name(),
          r.seed(), o.getOrDefault(Op.Type.OK, 0L), o.getOrDefault(Op.Type.FAIL, 0L), o.getOrDefault(Op.Type.INFO, 0L),
          c.count(Kind.LOST_WRITE), c.count(Kind.DUPLICATE), c.count(Kind.RESURRECTED_DELETE), stale - others, others,
          r.outOfOrderOutsideAllowed(), c.count(Kind.DIVERGENCE), c.count(Kind.STALE_EPOCH_WRITE),
          share(r.availabilityFaulted()), share(r.availabilityOthers()), r.convergeMs()));
    }
    return out.toString();
  }

  /** "-" when no operation was invoked there (every node is faulted in a whole-cluster event), as RELIABILITY.md writes it. */
  private static String share(double availability) {
    return Double.isNaN(availability) ? "-" : String.format("%.2f", availability);
  }
}
