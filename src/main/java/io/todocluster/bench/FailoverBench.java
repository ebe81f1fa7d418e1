package io.todocluster.bench;

import io.todocluster.bench.Figure.Goal;
import io.todocluster.bench.LoadGenerator.Request;
import io.todocluster.cluster.Placement;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * kill -9 (or, silent, SIGSTOP) of a node of 3 that runs ~1,000 live lists: time until every one of them answers again
 * on the survivors, against Vert.x's built-in HA redeploying one verticle on the same kind of
 * 3-member cluster (on JGroups' default failure detection and on our stack), and against the
 * time the survivors take to install the new view (the detection floor).
 */
final class FailoverBench implements Benchmark {

  /** Requests in flight while creating and polling lists. */
  static final int CONCURRENCY = 32;
  /**
   * A poll request that has not answered in this long is given up and the list asked again (each
   * list is asked again as soon as a slot is free, not after a round of all of them). Healthy GETs
   * answered in under 70 ms at p99 under the read benchmark's load.
   */
  static final long POLL_TIMEOUT_MS = 300;
  /** Before a list that answered an error is asked again, so that errors at once do not spin the survivors. */
  static final long POLL_PAUSE_MS = 10;
  /** Failover took 1-4 s when measured (notes); past this something is broken. */
  static final Duration FAILOVER_BOUND = Duration.ofSeconds(30);

  /** Silent: SIGSTOP instead of kill -9, the failure only heartbeats (FD_ALL3) can tell. */
  private final boolean silent;

  FailoverBench(boolean silent) {
    this.silent = silent;
  }

  @Override
  public String name() {
    return silent ? "silent" : "failover";
  }

  @Override
  public String title() {
    return silent ? "silent failure: SIGSTOP of a node with its lists vs Vert.x HA redeploy"
        : "failover: kill -9 of a node with its lists vs Vert.x HA redeploy and the new view";
  }

  @Override
  public List<Figure> run(BenchContext context) throws Exception {
    int lists = context.size(100, 1_000);
    OursResult ours = ours(context, lists);
    HaBaseline.Result tuned = HaBaseline.run(context, false, silent);
    context.progress("[%s] Vert.x HA, our stack: redeployed after %d ms, new view after %d ms", name(),
        tuned.redeployMillis(), tuned.viewMillis());
    HaBaseline.Result defaults = HaBaseline.run(context, true, silent);
    context.progress("[%s] Vert.x HA, JGroups default detection: redeployed after %d ms, new view after %d ms", name(),
        defaults.redeployMillis(), defaults.viewMillis());
    String what = lists + " lists answering again after " + (silent ? "SIGSTOP" : "kill -9");
    if (silent) {
      return List.of(
          new Figure(name(), what, ours.answeredMillis, "ms", "the issue's budget (5 s)", 5_000, Goal.atMost(1.0)),
          new Figure(name(), what, ours.answeredMillis, "ms", "Vert.x HA redeploy, JGroups default detection",
              defaults.redeployMillis(), null),
          new Figure(name(), what, ours.answeredMillis, "ms", "Vert.x HA redeploy, our JGroups stack",
              tuned.redeployMillis(), null),
          Figure.alone(name(), "healthy nodes suspected (extra placement changes on survivors)",
              ours.extraPlacements, ""));
    }
    return List.of(
        new Figure(name(), what, ours.answeredMillis, "ms", "Vert.x HA redeploy, JGroups default detection",
            defaults.redeployMillis(), Goal.atMost(0.2)),
        new Figure(name(), what, ours.answeredMillis, "ms", "Vert.x HA redeploy, our JGroups stack",
            tuned.redeployMillis(), Goal.atMost(1.0)),
        new Figure(name(), what, ours.answeredMillis, "ms", "new view on survivors (detection floor, our stack)",
            tuned.viewMillis(), null),
        new Figure(name(), "our survivors' new placement after kill -9", ours.viewMillis, "ms",
            "new view on survivors (detection floor, our stack)", tuned.viewMillis(), null),
        new Figure(name(), "last list answering after our new placement", ours.answeredMillis - ours.viewMillis, "ms",
            "the issue's budget", 200, Goal.atMost(1.0)));
  }

  private record OursResult(long answeredMillis, long viewMillis, int extraPlacements) {}

  private OursResult ours(BenchContext context, int lists) throws Exception {
    List<Jvm> nodes = context.fleet().startCluster("fo", 3, List.of(), List.of());
    Jvm victim = nodes.get(2);
    List<Jvm> survivors = nodes.subList(0, 2);
    // as many lists on the survivors: in a cluster every node hosts lists, so every node has run
    // the code that starts one (a survivor that never had, started 1,000 with a cold JIT: 43% of
    // its CPU during the failover went to compiling it)
    Lists placed = lists(nodes.get(0), victim, lists);
    List<String> owned = placed.onVictim();
    List<String> kept = placed.onOthers();
    List<Request> creates = new ArrayList<>();
    List<String> all = new ArrayList<>(owned);
    all.addAll(kept);
    for (int i = 0; i < all.size(); i++) {
      creates.add(Request.postJson(nodes.get(i % 3).httpPort(), "/api/lists/" + all.get(i) + "/entries",
          "{\"date\":\"2026-11-22\",\"title\":\"Dentist\"}"));
    }
    long failed = List.of(BenchContext.await(Fanout.send(context.vertx(), creates, CONCURRENCY, 10_000),
        FAILOVER_BOUND)).stream().filter(o -> !o.ok()).count();
    if (failed > 0) {
      throw new IllegalStateException(failed + " of " + all.size() + " list creations failed");
    }
    int processes = processesOn(nodes.get(0), victim.name());
    context.progress("[%s] %d lists created on %s and %d on the others, %d processes live on %s; %s", name(),
        owned.size(), victim.name(), kept.size(), processes, victim.name(), silent ? "SIGSTOP" : "kill -9");
    long killedAt = silent ? victim.pause() : victim.kill9();
    Fanout.Polled polled = BenchContext.await(Fanout.untilOk(context.vertx(), owned,
        (list, attempt) -> Request.get(survivors.get(attempt % 2).httpPort(), "/api/lists/" + list + "/entries"),
        CONCURRENCY, POLL_TIMEOUT_MS, POLL_PAUSE_MS, System.nanoTime() + FAILOVER_BOUND.toNanos()),
        FAILOVER_BOUND.plusSeconds(5));
    long lastAnswer = 0;
    List<String> unanswered = new ArrayList<>();
    for (int i = 0; i < owned.size(); i++) {
      if (polled.answeredAtMillis()[i] < 0) {
        unanswered.add(owned.get(i) + ": " + polled.lastStatus()[i]);
      }
      lastAnswer = Math.max(lastAnswer, polled.answeredAtMillis()[i]);
    }
    if (!unanswered.isEmpty()) {
      throw new IllegalStateException(unanswered.size() + " lists did not answer within " + FAILOVER_BOUND
          + " (status -1: no answer within " + POLL_TIMEOUT_MS + " ms); last statuses: "
          + unanswered.subList(0, Math.min(5, unanswered.size())));
    }
    long viewAt = Long.MAX_VALUE;
    int extraPlacements = 0;
    for (Jvm survivor : survivors) {
      viewAt = Math.min(viewAt, NodeLog.firstPlacementAfter(survivor, killedAt));
      // one change is the victim leaving; any other is a survivor suspected under our own load
      extraPlacements += NodeLog.placementsAfter(survivor, killedAt) - 1;
    }
    context.progress("[%s] ours: all %d lists answered %d ms after the signal; new placement after %d ms;"
        + " %d extra placement changes", name(), owned.size(), lastAnswer - killedAt, viewAt - killedAt, extraPlacements);
    context.fleet().stop(nodes);
    return new OursResult(lastAnswer - killedAt, viewAt - killedAt, extraPlacements);
  }

  /** As many lists placed on the victim as on the other nodes. */
  private record Lists(List<String> onVictim, List<String> onOthers) {}

  /**
   * The first lists placed on the victim and on the others, as the nodes' own placement says
   * (GET /api/lists/{list}/node); a build from before that route (a before/after run) placed by
   * rendezvous hashing over the members.
   */
  private static Lists lists(Jvm node, Jvm victim, int lists) throws Exception {
    Placement rendezvous = null;
    String victimId = null;
    if (node.get("/api/lists/fo-0/node").statusCode() == 404) {
      List<String> members = new ArrayList<>();
      for (Object m : new JsonObject(node.get("/api/cluster").body()).getJsonArray("members")) {
        JsonObject member = (JsonObject) m;
        members.add(member.getString("nodeId"));
        if (victim.name().equals(member.getString("name"))) {
          victimId = member.getString("nodeId");
        }
      }
      rendezvous = new Placement(members);
    }
    Lists placed = new Lists(new ArrayList<>(), new ArrayList<>());
    for (int i = 0; (placed.onVictim().size() < lists || placed.onOthers().size() < lists) && i < lists * 100; i++) {
      String list = "fo-" + i;
      boolean onVictim = rendezvous != null ? rendezvous.owner(list).equals(victimId)
          : victim.name().equals(new JsonObject(node.get("/api/lists/" + list + "/node").body()).getString("node"));
      List<String> side = onVictim ? placed.onVictim() : placed.onOthers();
      if (side.size() < lists) {
        side.add(list);
      }
    }
    return placed;
  }

  static int processesOn(Jvm node, String name) throws Exception {
    JsonArray members = new JsonObject(node.get("/api/cluster").body()).getJsonArray("members");
    for (Object m : members) {
      JsonObject member = (JsonObject) m;
      if (name.equals(member.getString("name"))) {
        // null when the member did not answer the node's count request in time (ClusterInfo)
        Integer processes = member.getInteger("processes");
        return processes == null ? -1 : processes;
      }
    }
    return -1;
  }
}
