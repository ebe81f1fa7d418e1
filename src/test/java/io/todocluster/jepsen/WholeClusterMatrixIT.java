package io.todocluster.jepsen;

import static org.assertj.core.api.Assumptions.assumeThat;

import io.todocluster.netns.Prerequisites;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's matrix: three node JVMs in network namespaces under a recorded workload, with events
 * that touch the whole cluster (see {@link WholeCluster} for each schedule). Each run is judged
 * as the smoke matrix's are ({@link Matrix#check}); none of these events excuses a stale read on
 * any node except the isolated n0 before the merge. The load goes on through every restart (a
 * client whose operation ended unknown goes on as a new process), so the final check covers
 * writes made after the event. One run takes 1.5-3 minutes, so only the rolling restart is in every
 * {@code mvn verify} (it found two bugs no other test did; ClusterRestartIT checks the worst
 * restart order and a power loss there): {@code -Dtodo.wholeCluster=true} runs the other four, and
 * the long matrix runs all five on five nodes.
 */
@DisplayName("Three nodes under a recorded workload, through events that touch the whole cluster")
class WholeClusterMatrixIT {

  private static final int NODES = 3;

  @TempDir
  Path dir;

  @BeforeEach
  void needsRootAndTools() {
    assumeThat(Prerequisites.missing()).as("%s", Prerequisites.missing().orElse("")).isEmpty();
  }

  @EnabledIfSystemProperty(named = "todo.wholeCluster", matches = "true")
  @Test
  @DisplayName("kill -9 of the coordinator, its restart, then kill -9 of the next node and its restart: nothing acknowledged is lost")
  void twoKills() throws Exception {
    run(WholeCluster.twoKills(NODES));
  }

  @EnabledIfSystemProperty(named = "todo.wholeCluster", matches = "true")
  @Test
  @DisplayName("every node stopped gracefully one by one, then the first stopped started alone: it serves no stale copy, nothing is lost")
  void restartWorstOrder() throws Exception {
    run(WholeCluster.restartWorstOrder(NODES));
  }

  @EnabledIfSystemProperty(named = "todo.wholeCluster", matches = "true")
  @Test
  @DisplayName("kill -9 of every node at once, then a restart in another order: nothing acknowledged is lost")
  void powerLoss() throws Exception {
    run(WholeCluster.powerLoss(NODES));
  }

  @EnabledIfSystemProperty(named = "todo.wholeCluster", matches = "true")
  @Test
  @DisplayName("the coordinator of a merged view paused for 20 s during the merge's conflict resolution: nothing is lost")
  void pauseDuringMerge() throws Exception {
    run(WholeCluster.pauseDuringMerge(NODES));
  }

  @Test
  @DisplayName("a rolling restart behind a client-side balancer: no request of the balanced clients fails or ends unknown")
  void rollingRestart() throws Exception {
    run(WholeCluster.rollingRestart(NODES));
  }

  private void run(Matrix.Scenario scenario) throws Exception {
    Matrix.check(Matrix.run(scenario, NODES, dir, System.nanoTime()));
  }
}
