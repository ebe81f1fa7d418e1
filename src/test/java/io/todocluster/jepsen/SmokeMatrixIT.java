package io.todocluster.jepsen;

import static org.assertj.core.api.Assumptions.assumeThat;

import io.todocluster.netns.Nemesis;
import io.todocluster.netns.Prerequisites;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke matrix of issue 5, in every {@code mvn verify}: three node JVMs, each in its own
 * network namespace, under a recorded workload, with one fault each: kill -9 and restart,
 * isolation of one node, a 20 s pause. n0 is the faulted node; n1 and n2 are the majority.
 */
@DisplayName("Three nodes in network namespaces under a recorded workload")
class SmokeMatrixIT {

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
    Matrix.check(Matrix.run("kill-9", 3, dir, FAULTED,
        cluster -> cluster.restartEach(Matrix.Stop.KILL, Duration.ofSeconds(15), 0), System.nanoTime()));
  }

  @Test
  @DisplayName("isolation of one node for 20 s, then the heal: the minority refuses, the majority serves, nothing is lost")
  void isolateOne() throws Exception {
    Matrix.check(Matrix.run("isolate", 3, dir, FAULTED, cluster -> {
      Nemesis nemesis = new Nemesis(cluster.network());
      nemesis.isolate(0);
      Thread.sleep(20_000); // the schedule: a 20 s partition
      nemesis.heal();
    }, System.nanoTime()));
  }

  @Test
  @DisplayName("a 20 s pause of one node, longer than failure detection: nothing lost, the node comes back")
  void pauseTwenty() throws Exception {
    Matrix.check(Matrix.run("pause-20s", 3, dir, FAULTED, cluster -> {
      cluster.pause(0);
      Thread.sleep(20_000); // the schedule: a 20 s SIGSTOP
      cluster.resume(0);
    }, System.nanoTime()));
  }
}
