package io.todocluster.jepsen;

import io.todocluster.jepsen.Anomaly.Kind;
import io.todocluster.netns.Nemesis;
import io.todocluster.netns.NetnsNode;
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
 * JVMs, every fault, each repeated with a recorded seed. It writes its table (the body of
 * RELIABILITY.md) to target/jepsen/RELIABILITY-long.md and fails if any run lost, duplicated or
 * resurrected a write, or served a stale read outside the faulted nodes.
 */
@org.junit.jupiter.api.DisplayName("The long fault matrix: five nodes, every fault, repeated")
@org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "todo.longMatrix", matches = "true")
class LongMatrixIT {

  private static final Logger log = LoggerFactory.getLogger(LongMatrixIT.class);

  private record Scenario(String name, Set<String> faulted, Matrix.Fault fault) {
  }

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
      for (Scenario scenario : scenarios(work)) {
        if (!only.equals(Set.of("")) && !only.contains(scenario.name())) {
          continue;
        }
        long seed = System.nanoTime();
        Path dir = work.resolve(scenario.name() + "-" + seed);
        Matrix.Result result = Matrix.run(scenario.name(), 5, dir, scenario.faulted(), scenario.fault(), seed);
        log.info("{} seed {}: {} {}", result.name(), seed, result.outcomes(), result.check().counts());
        results.add(result);
      }
    }
    Path table = Path.of("target", "jepsen", "RELIABILITY-long.md");
    Files.writeString(table, table(results));
    long bad = results.stream().filter(r -> r.check().count(Kind.LOST_WRITE) + r.check().count(Kind.DUPLICATE)
        + r.check().count(Kind.RESURRECTED_DELETE) + r.staleReadsOutside(r.name().equals("split") || r.name().equals("bridge")
            ? Set.of("n0", "n1") : Set.of("n0")) > 0).count();
    log.info("long matrix: {} runs, {} with anomalies; table in {}", results.size(), bad, table);
    org.assertj.core.api.Assertions.assertThat(bad).as("runs with anomalies; see " + table).isZero();
  }

  private static List<Scenario> scenarios(Path work) {
    return List.of(
        new Scenario("kill-9", Set.of("n0"), (network, nodes) -> {
          Nemesis.kill(nodes[0].pid());
          Thread.sleep(15_000);
          nodes[0] = NetnsNode.start(network, 0, Matrix.jar(), work.resolve("restart-" + System.nanoTime())).awaitReady(Matrix.READY);
        }),
        new Scenario("pause-3s", Set.of("n0"), (network, nodes) -> {
          Nemesis.pause(nodes[0].pid());
          Thread.sleep(3_000);
          Nemesis.resume(nodes[0].pid());
          Thread.sleep(17_000);
        }),
        new Scenario("pause-20s", Set.of("n0"), (network, nodes) -> {
          Nemesis.pause(nodes[0].pid());
          Thread.sleep(20_000);
          Nemesis.resume(nodes[0].pid());
        }),
        new Scenario("isolate", Set.of("n0"), (network, nodes) -> {
          Nemesis nemesis = new Nemesis(network);
          nemesis.isolate(0);
          Thread.sleep(20_000);
          nemesis.heal();
        }),
        new Scenario("split", Set.of("n0", "n1"), (network, nodes) -> {
          Nemesis nemesis = new Nemesis(network);
          nemesis.split(Set.of(0, 1), Set.of(2, 3, 4));
          Thread.sleep(20_000);
          nemesis.heal();
        }),
        new Scenario("bridge", Set.of("n0", "n1"), (network, nodes) -> {
          Nemesis nemesis = new Nemesis(network);
          nemesis.bridge(Set.of(0, 1), 2, Set.of(3, 4));
          Thread.sleep(20_000);
          nemesis.heal();
        }),
        new Scenario("loss-20pct", Set.of("n0"), (network, nodes) -> {
          Nemesis nemesis = new Nemesis(network);
          nemesis.loss(0, 20);
          Thread.sleep(20_000);
          nemesis.heal();
        }));
  }

  private static String table(List<Matrix.Result> results) {
    StringBuilder out = new StringBuilder("| fault | seed | ok | fail | info | lost | dup | resurrected | stale reads (faulted / others) "
        + "| divergence | availability faulted / others | converged after load (ms) |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Matrix.Result r : results) {
      Map<Op.Type, Long> o = r.outcomes();
      CheckResult c = r.check();
      long stale = c.count(Kind.STALE_READ);
      Set<String> faulted = r.name().equals("split") || r.name().equals("bridge") ? Set.of("n0", "n1") : Set.of("n0");
      long others = r.staleReadsOutside(faulted);
      out.append(String.format("| %s | %d | %d | %d | %d | %d | %d | %d | %d / %d | %d | %.2f / %.2f | %d |%n", r.name(), r.seed(),
          o.getOrDefault(Op.Type.OK, 0L), o.getOrDefault(Op.Type.FAIL, 0L), o.getOrDefault(Op.Type.INFO, 0L),
          c.count(Kind.LOST_WRITE), c.count(Kind.DUPLICATE), c.count(Kind.RESURRECTED_DELETE), stale - others, others,
          c.count(Kind.DIVERGENCE), r.availabilityFaulted(), r.availabilityOthers(), r.convergeMs()));
    }
    return out.toString();
  }
}
