package io.todocluster.bench;

import io.todocluster.bench.Figure.Goal;
import java.time.Duration;
import java.util.List;

/**
 * A lone node's start-to-ready time and idle RSS against a bare clustered Vert.x (Vert.x's caches
 * only, our JGroups stack) from the same jar in the same kind of JVM. Both are alone, so both
 * spend GMS join_timeout (2 s) looking for peers.
 */
final class FootprintBench implements Benchmark {

  @Override
  public String name() {
    return "footprint";
  }

  @Override
  public String title() {
    return "footprint: idle RSS and start-to-ready of a node vs a bare clustered Vert.x";
  }

  @Override
  public List<Figure> run(BenchContext context) throws Exception {
    // idle long enough for start-up garbage and lazy initialisation to settle
    Duration idle = Duration.ofSeconds(context.size(2, 10));
    int rounds = context.size(1, 3);
    double oursReady = Double.MAX_VALUE;
    double oursRss = Double.MAX_VALUE;
    double bareReady = Double.MAX_VALUE;
    double bareRss = Double.MAX_VALUE;
    for (int round = 0; round < rounds; round++) {
      Jvm node = context.fleet().startNode("fp" + round, Ports.freeClusterPort(), List.of(), List.of(), List.of());
      long ready = node.awaitReady(JvmFleet.READY_BOUND) - node.startedAtMillis();
      Thread.sleep(idle.toMillis());
      long rss = node.rssBytes();
      context.fleet().stop(List.of(node));

      List<Jvm> bare = HaBaseline.startMembers(context.fleet(), "bare" + round, "bare", false, 1, List.of("deploy=false"));
      long bareAt = Long.parseLong(bare.get(0).awaitLine(HaBaseline.READY, JvmFleet.READY_BOUND));
      long bareReadyMs = bareAt - bare.get(0).startedAtMillis();
      Thread.sleep(idle.toMillis());
      long bareRssBytes = bare.get(0).rssBytes();
      context.fleet().stop(bare);
      context.progress("[footprint] ours: ready %d ms, RSS %d MB; bare Vert.x: ready %d ms, RSS %d MB", ready,
          rss >> 20, bareReadyMs, bareRssBytes >> 20);
      // the best round of each: other builds on the machine only ever slow a start down
      oursReady = Math.min(oursReady, ready);
      oursRss = Math.min(oursRss, rss >> 20);
      bareReady = Math.min(bareReady, bareReadyMs);
      bareRss = Math.min(bareRss, bareRssBytes >> 20);
    }
    String base = "bare clustered Vert.x, same jar and JVM flags";
    return List.of(
        new Figure(name(), "idle RSS of a lone node (least of " + rounds + ")", oursRss, "MB", base, bareRss,
            Goal.atMost(1.3)),
        new Figure(name(), "start-to-ready of a lone node (fastest of " + rounds + ")", oursReady, "ms", base, bareReady,
            Goal.atMost(1.1)));
  }
}
