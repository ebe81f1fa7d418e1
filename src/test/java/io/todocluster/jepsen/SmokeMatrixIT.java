package io.todocluster.jepsen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.todocluster.jepsen.Anomaly.Kind;
import io.todocluster.netns.Nemesis;
import io.todocluster.netns.NetnsNode;
import io.todocluster.netns.Prerequisites;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The smoke matrix of issue 5, in every {@code mvn verify}: three node JVMs, each in its own
 * network namespace, under a recorded workload, with one fault each: kill -9 and restart,
 * isolation of one node, a 20 s pause. n0 is the faulted node; n1 and n2 are the majority.
 */
@DisplayName("Three nodes in network namespaces under a recorded workload")
class SmokeMatrixIT {

  private static final Logger log = LoggerFactory.getLogger(SmokeMatrixIT.class);
  private static final Set<String> FAULTED = Set.of("n0");

  @TempDir
  Path dir;

  @BeforeEach
  void needsRootAndTools() {
    assumeThat(Prerequisites.missing()).as("%s", Prerequisites.missing().orElse("")).isEmpty();
  }

  @Test
  @DisplayName("kill -9 of a node, then its restart: nothing acknowledged lost, no duplicate, no stale read on the majority")
  void killNine() throws Exception {
    check(Matrix.run("kill-9", 3, dir, FAULTED, (network, nodes) -> {
      Nemesis.kill(nodes[0].pid());
      Thread.sleep(15_000); // the schedule: 15 s without the node
      nodes[0] = NetnsNode.start(network, 0, Matrix.jar(), dir.resolve("n0")).awaitReady(Matrix.READY);
    }, System.nanoTime()));
  }

  @Test
  @DisplayName("isolation of one node for 20 s, then the heal: the minority refuses, the majority serves, nothing is lost")
  void isolateOne() throws Exception {
    check(Matrix.run("isolate", 3, dir, FAULTED, (network, nodes) -> {
      Nemesis nemesis = new Nemesis(network);
      nemesis.isolate(0);
      Thread.sleep(20_000); // the schedule: a 20 s partition
      nemesis.heal();
    }, System.nanoTime()));
  }

  @Test
  @DisplayName("a 20 s pause of one node, longer than failure detection: nothing lost, the node comes back")
  void pauseTwenty() throws Exception {
    check(Matrix.run("pause-20s", 3, dir, FAULTED, (network, nodes) -> {
      Nemesis.pause(nodes[0].pid());
      Thread.sleep(20_000); // the schedule: a 20 s SIGSTOP
      Nemesis.resume(nodes[0].pid());
    }, System.nanoTime()));
  }

  private static void check(Matrix.Result run) {
    CheckResult result = run.check();
    log.info("{} (seed {}): outcomes {}, anomalies {}, stale reads by node {}, converged {} ms after the load, "
        + "availability during the fault {} on n0 and {} on the others; history in {}", run.name(), run.seed(),
        run.outcomes(), result.counts(), result.countByNode(Kind.STALE_READ), run.convergeMs(),
        run.availabilityFaulted(), run.availabilityOthers(), run.history());
    assertThat(result.count(Kind.LOST_WRITE)).as("lost writes: %s", result.examples(Kind.LOST_WRITE, 5)).isZero();
    assertThat(result.count(Kind.DUPLICATE)).as("duplicates: %s", result.examples(Kind.DUPLICATE, 5)).isZero();
    assertThat(result.count(Kind.RESURRECTED_DELETE)).as("resurrected: %s",
        result.examples(Kind.RESURRECTED_DELETE, 5)).isZero();
    assertThat(result.count(Kind.UNEXPECTED_VALUE)).as("unexpected: %s", result.examples(Kind.UNEXPECTED_VALUE, 5)).isZero();
    assertThat(result.count(Kind.DIVERGENCE)).as("divergence: %s", result.examples(Kind.DIVERGENCE, 5)).isZero();
    assertThat(run.staleReadsOutside(FAULTED)).as("stale reads on the majority: %s",
        result.examples(Kind.STALE_READ, 5)).isZero();
  }
}
