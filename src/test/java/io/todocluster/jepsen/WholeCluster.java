package io.todocluster.jepsen;

import io.todocluster.jepsen.Matrix.Scenario;
import io.todocluster.jepsen.Matrix.Stop;
import io.todocluster.netns.Nemesis;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Issue 13's scenarios: events that touch the whole cluster, not one node. Written for any number
 * of nodes (the smoke runs have 3, the long matrix 5); n0 is the JGroups coordinator when the
 * fault begins (Matrix starts it first). Sleeps in these schedules are the load periods the
 * issue prescribes, by design; everything else is awaited.
 */
final class WholeCluster {

  private WholeCluster() {
  }

  /** All five, in the order of issue 13. */
  static List<Scenario> all(int size) {
    return List.of(twoKills(size), restartWorstOrder(size), powerLoss(size), pauseDuringMerge(size), rollingRestart(size));
  }

  /**
   * kill -9 of n0 (the coordinator), 10 s of load, its restart awaited ready; then the same for n1.
   * No node may serve a stale read: each kill leaves a majority with every entry.
   */
  static Scenario twoKills(int size) {
    return new Scenario("two-kills", Set.of("n0", "n1"), Set.of(), false,
        cluster -> cluster.restartEach(Stop.KILL, Duration.ofSeconds(10), 0, 1));
  }

  /**
   * SIGTERM of every node, one after the other with 5 s of load on the rest between (n0 first);
   * then n0, the first stopped and so the one with the stalest copy, starts alone and stays alone
   * for 15 s while its clients ask it (a correct node refuses then: 503 "waiting for ..."; a read
   * it serves that lacks acknowledged writes is a stale read, on any node); then the others
   * start, every node is awaited ready, and the load goes on.
   */
  static Scenario restartWorstOrder(int size) {
    return new Scenario("restart-worst-order", names(IntStream.range(0, size)), Set.of(), false, cluster -> {
      cluster.stopInOrder(Stop.TERMINATE, Duration.ofSeconds(5), cluster.all());
      cluster.start(0);
      cluster.awaitAnswering(0);
      Thread.sleep(15_000); // the schedule: n0 alone for 15 s, answering its clients
      cluster.startInOrder(Duration.ZERO, IntStream.range(1, size).toArray());
    });
  }

  /**
   * kill -9 of every node at once (one kill(1)), then the restart in another order, 3 s apart:
   * the last node first, then n0, n1, ... (n2, n0, n1 for three nodes); every node awaited ready.
   */
  static Scenario powerLoss(int size) {
    int[] order = IntStream.concat(IntStream.of(size - 1), IntStream.range(0, size - 1)).toArray();
    return new Scenario("power-loss", names(IntStream.range(0, size)), Set.of(), false, cluster -> {
      cluster.stopInOrder(Stop.KILL, Duration.ZERO, cluster.all());
      cluster.startInOrder(Duration.ofSeconds(3), order);
    });
  }

  /**
   * n0 isolated for 10 s (the majority goes on, and is awaited to have excluded n0, so that the
   * heal is a merge), then healed; as soon as a node logs the merged view, the merged view's
   * coordinator is paused for 20 s, during the conflict resolution the merge starts, then resumed;
   * then the cluster is awaited formed and serving (the time it takes is in the run's events).
   *
   * <p>The merge is found in the logs, not after a fixed delay: after a heal MERGE3 needs 2-5 s
   * per round (min_interval 2000, max_interval 5000) and may need more than one, while the
   * conflict resolution itself takes 2-3.5 s (RELIABILITY.md), so no fixed delay lands inside it
   * reliably; polling the logs every 20 ms pauses the coordinator within ~0.1 s of the merged view.
   * Stale reads are allowed on n0 only, as in the smoke matrix's isolation (a cut-off node may serve
   * from memory until it learns it is on the minority side); the paused coordinator gets none.
   */
  static Scenario pauseDuringMerge(int size) {
    return new Scenario("pause-during-merge", Set.of("n0"), Set.of("n0"), false, cluster -> {
      Nemesis nemesis = new Nemesis(cluster.network());
      nemesis.isolate(0);
      cluster.note("isolate n0");
      Thread.sleep(10_000); // the schedule: 10 s of isolation
      cluster.awaitMembers(1, size - 1); // excluded by the majority (about 6 s after the cut): the heal makes a merge
      long[] since = cluster.logOffsets();
      nemesis.heal();
      cluster.note("heal");
      int coordinator = cluster.awaitMergedView(since);
      cluster.pause(coordinator);
      Thread.sleep(20_000); // the schedule: a 20 s pause
      cluster.resume(coordinator);
      // as the other scenarios await their restarted nodes ready: the load after the fault runs on
      // a cluster that serves again (the resumed node rejoins as a new incarnation, and the
      // cluster settles once more), so that writes after the event are checked too
      cluster.awaitFormed();
    });
  }

  /**
   * Every node in turn (n0, the coordinator, first) leaves the balancer's rotation, 1 s later
   * gets SIGTERM, is started again from its disk, and goes back into rotation once ready. The
   * clients all go through the balancer; the claim is that none of their requests fails or ends
   * unknown.
   */
  static Scenario rollingRestart(int size) {
    return new Scenario("rolling-restart", names(IntStream.range(0, size)), Set.of(), true,
        cluster -> cluster.restartEach(Stop.TERMINATE, Duration.ZERO, cluster.all()));
  }

  private static Set<String> names(IntStream indices) {
    return indices.mapToObj(Matrix.Cluster::name).collect(Collectors.toUnmodifiableSet());
  }
}
