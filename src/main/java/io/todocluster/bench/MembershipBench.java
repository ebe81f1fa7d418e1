package io.todocluster.bench;

import io.todocluster.bench.Figure.Goal;
import io.todocluster.bench.LoadGenerator.Request;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scale of membership changes: two nodes with N live list processes between them; a third
 * joins (a third of the lists move to it), then the first leaves gracefully (SIGTERM: its lists
 * are handed off). For each change, the time from the new view until placement has settled (the
 * moves logged as done), while a client reads random lists through the node that stays
 * throughout; none of its requests may time out.
 */
final class MembershipBench implements Benchmark {

  /**
   * 100,000 idle lists at about 2.8 KB each, spread over two nodes and then three, with the
   * registry's copies: a pre-sized heap, so that its growth costs no full GC; ParallelGC as in
   * the process-cost benchmark, because a serial full GC of a large heap outlasts the freeze tolerance.
   */
  static final List<String> HEAP = List.of("-Xms1g", "-Xmx1g", "-XX:+UseParallelGC");
  static final int SPAWN_CONCURRENCY = 64;
  static final int PROBE_CONCURRENCY = 16;
  /** A probe that has not answered in this long counts as timed out (the routing deadline is 20 s). */
  static final long PROBE_TIMEOUT_MS = 5_000;
  /**
   * The probe's window after the node left the view: the settling a coordinator change can start
   * (and once did, for a minute) begins there, so the probe must see the cluster after it.
   */
  static final long AFTER_LEAVE_MS = 5_000;
  /** How long a move may take before the benchmark gives up on it. */
  static final Duration MOVE_BOUND = Duration.ofMinutes(2);
  static final Pattern REBALANCED = Pattern.compile(
      "(?m)^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*rebalance: (\\d+) processes handed to their new owners in (\\d+) ms");
  /** A new owner's line when its queue of adopted processes has drained (all started). */
  static final Pattern ADOPTED = Pattern.compile(
      "(?m)^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*adoptions: (\\d+) processes started here in (\\d+) ms");
  /** No new adoption line for this long, once the old owners are done: the new owners have started what they took. */
  static final long QUIET_MS = 1_000;
  static final Pattern HANDED_OFF = Pattern.compile(
      "(?m)^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*handoff: (\\d+) processes handed off in (\\d+) ms");

  @Override
  public String name() {
    return "membership";
  }

  @Override
  public String title() {
    return "membership changes: a node joins, then one leaves, with many processes live";
  }

  @Override
  public List<Figure> run(BenchContext context) throws Exception {
    int lists = context.size(5_000, 100_000);
    List<Integer> ports = List.of(Ports.freeClusterPort(), Ports.freeClusterPort(), Ports.freeClusterPort());
    List<String> args = List.of("--idle-timeout", "60m");
    Jvm first = context.fleet().startNode("mc1", ports.get(0), ports, HEAP, args);
    first.awaitReady(JvmFleet.READY_BOUND);
    Jvm stays = context.fleet().startNode("mc2", ports.get(1), ports, HEAP, args);
    stays.awaitReady(JvmFleet.READY_BOUND);
    JvmFleet.awaitMembers(first, 2, JvmFleet.READY_BOUND);
    spawn(context.vertx(), List.of(first, stays), lists);
    int live = FailoverBench.processesOn(first, "mc1") + FailoverBench.processesOn(first, "mc2");
    context.progress("[membership] %d lists live on 2 nodes (%d counted); a third node joins", lists, live);

    Probe probe = new Probe(context.vertx(), stays, lists);
    Thread probing = new Thread(probe, "membership-probe");
    probing.start();
    Jvm joiner;
    long goneAt;
    Move join;
    Move leave;
    try {
      long joinAt = System.currentTimeMillis();
      joiner = context.fleet().startNode("mc3", ports.get(2), ports, HEAP, args);
      joiner.awaitReady(JvmFleet.READY_BOUND);
      long joinView = awaitPlacement(first, joinAt);
      join = Move.await(List.of(first, stays), REBALANCED, List.of(joiner), joinAt, joinView);
      context.progress("[membership] join: %d processes moved, settled %d ms after the new view", join.processes,
          join.settledAt - joinView);

      long leaveAt = first.terminate();
      leave = Move.await(List.of(first), HANDED_OFF, List.of(stays, joiner), leaveAt, awaitPlacement(stays, leaveAt));
      // the probe goes on until the node is out of the view too: the change that once stopped
      // the cluster for a minute came after the handoff, when the coordinator left the view
      goneAt = awaitLeft(stays, first.name(), leaveAt);
      probe.awaitRoundsAfter(goneAt + AFTER_LEAVE_MS);
      context.progress("[membership] leave: %d processes handed off, settled %d ms after SIGTERM", leave.processes,
          leave.settledAt - leaveAt);
    } finally {
      probe.stop();
      probing.join(PROBE_TIMEOUT_MS * 2);
    }
    int onStays = FailoverBench.processesOn(stays, "mc2");
    int onJoiner = FailoverBench.processesOn(stays, "mc3");
    int after = onStays + onJoiner;
    context.progress("[membership] probes: %d answered, %d failed, %d timed out (at %s ms after the join's start;"
        + " the leave began at %d ms); processes on mc2 %d, on mc3 %d", probe.ok.get(), probe.failed.get(),
        probe.timedOut.get(), probe.timeouts.stream().map(t -> t - join.startedAt).toList(), leave.startedAt - join.startedAt,
        onStays, onJoiner);
    context.fleet().stop(List.of(first, stays, joiner));

    String live100 = " (" + lists + " processes live)";
    return List.of(
        Figure.alone(name(), "join: processes moved to the new node" + live100, join.processes, ""),
        Figure.alone(name(), "join: the new node's start to the old nodes' new placement", join.viewAt - join.startedAt, "ms"),
        Figure.alone(name(), "join: new placement to the old owners done handing over", join.handedAt - join.viewAt, "ms"),
        Figure.alone(name(), "join: new placement to placement settled (all moved lists started)" + live100,
            join.settledAt - join.viewAt, "ms"),
        Figure.alone(name(), "join: moves per second", join.processes * 1000.0 / Math.max(1, join.settledAt - join.viewAt), "/s"),
        Figure.alone(name(), "leave (SIGTERM): processes handed off" + live100, leave.processes, ""),
        Figure.alone(name(), "leave: SIGTERM to the handoff done (the node may exit)", leave.handedAt - leave.startedAt, "ms"),
        Figure.alone(name(), "leave: SIGTERM to placement settled (all its lists started elsewhere)",
            leave.settledAt - leave.startedAt, "ms"),
        Figure.alone(name(), "leave: SIGTERM to the survivors' new placement (the node announced it leaves)",
            leave.viewAt - leave.startedAt, "ms"),
        Figure.alone(name(), "leave: SIGTERM to the node out of the survivors' view", goneAt - leave.startedAt, "ms"),
        Figure.alone(name(), "processes on the two nodes left at the end", after, ""),
        Figure.alone(name(), "probe reads answered during both changes (and " + AFTER_LEAVE_MS + " ms after)",
            probe.ok.get(), ""),
        Figure.alone(name(), "probe reads answered with an error (503: retry)", probe.failed.get(), ""),
        new Figure(name(), "probe reads timed out (" + PROBE_TIMEOUT_MS + " ms)", probe.timedOut.get(), "",
            "the issue's goal: none (ratio to 1)", 1, Goal.atMost(0)));
  }

  /** When the node logged that the named member left its view, at or after the time, waiting for it within the bound. */
  private static long awaitLeft(Jvm node, String member, long afterMillis) throws Exception {
    Pattern left = Pattern.compile("(?m)^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*membership: members .* left \\[" + member + "-");
    long deadline = System.nanoTime() + MOVE_BOUND.toNanos();
    while (System.nanoTime() < deadline) {
      for (String stamp : node.allLines(left)) {
        if (NodeLog.epochMillis(stamp) >= afterMillis) {
          return NodeLog.epochMillis(stamp);
        }
      }
      Thread.sleep(Jvm.POLL_MILLIS * 10);
    }
    throw new IllegalStateException(node.name() + " never logged that " + member + " left its view");
  }

  /** When the node logged its first placement change at or after the time, waiting for it within the bound. */
  private static long awaitPlacement(Jvm node, long afterMillis) throws Exception {
    long deadline = System.nanoTime() + MOVE_BOUND.toNanos();
    while (NodeLog.placementsAfter(node, afterMillis) == 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(node.name() + " logged no placement change within " + MOVE_BOUND);
      }
      Thread.sleep(Jvm.POLL_MILLIS * 10);
    }
    return NodeLog.firstPlacementAfter(node, afterMillis);
  }

  /**
   * The end of a move as its nodes logged it: the old owners handed their processes over (how
   * many), and the new owners started all they took (their last adoption line, once no new one
   * has come for {@link #QUIET_MS}).
   */
  private record Move(long startedAt, long viewAt, long handedAt, long settledAt, long processes) {

    static Move await(List<Jvm> movers, Pattern done, List<Jvm> adopters, long startedAt, long viewAt)
        throws Exception {
      long deadline = System.nanoTime() + MOVE_BOUND.toNanos();
      long settledAt = 0;
      long processes = 0;
      for (Jvm mover : movers) {
        Matcher line = null;
        while (line == null) {
          Matcher m = done.matcher(Files.readString(mover.log()));
          while (line == null && m.find()) {
            if (NodeLog.epochMillis(m.group(1)) >= startedAt) {
              line = m;
            }
          }
          if (line == null) {
            if (!mover.isAlive()) {
              throw new IllegalStateException(mover.name() + " exited without logging " + done.pattern()
                  + " (its shutdown bound?); log: " + mover.log());
            }
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException(mover.name() + " logged no " + done.pattern() + " within " + MOVE_BOUND);
            }
            Thread.sleep(Jvm.POLL_MILLIS * 10);
          }
        }
        settledAt = Math.max(settledAt, NodeLog.epochMillis(line.group(1)));
        processes += Long.parseLong(line.group(2));
      }
      long handedAt = settledAt;
      long lastCount = -1;
      long quietSince = System.currentTimeMillis();
      while (true) {
        long count = 0;
        long last = 0;
        boolean each = true;
        for (Jvm adopter : adopters) {
          List<Long> lines = adopter.allLines(ADOPTED).stream().map(NodeLog::epochMillis).filter(t -> t >= startedAt).toList();
          each &= !lines.isEmpty();
          count += lines.size();
          last = Math.max(last, lines.stream().mapToLong(Long::longValue).max().orElse(0));
        }
        if (count != lastCount) {
          lastCount = count;
          quietSince = System.currentTimeMillis();
        } else if (each && System.currentTimeMillis() - quietSince >= QUIET_MS) {
          return new Move(startedAt, viewAt, handedAt, Math.max(handedAt, last), processes);
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the new owners did not log their adoptions within " + MOVE_BOUND);
        }
        Thread.sleep(Jvm.POLL_MILLIS * 10);
      }
    }
  }

  private static void spawn(Vertx vertx, List<Jvm> via, int lists) throws Exception {
    List<Request> requests = new ArrayList<>(lists);
    for (int i = 0; i < lists; i++) {
      requests.add(Request.get(via.get(i % via.size()).httpPort(), "/api/lists/mc-" + i + "/entries"));
    }
    Fanout.Outcome[] outcomes = BenchContext.await(Fanout.send(vertx, requests, SPAWN_CONCURRENCY, 30_000),
        Duration.ofMinutes(10));
    long failed = Arrays.stream(outcomes).filter(o -> !o.ok()).count();
    if (failed > 0) {
      throw new IllegalStateException(failed + " of " + lists + " spawns failed");
    }
  }

  /** Reads random lists through one node, round after round, until stopped; counts the outcomes. */
  private static final class Probe implements Runnable {
    private final Vertx vertx;
    private final Jvm via;
    private final int lists;
    private final Random random = new Random(42);
    private final AtomicBoolean stopped = new AtomicBoolean();
    final AtomicLong ok = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong timedOut = new AtomicLong();
    /** When the last round that has ended began (epoch millis). */
    private final AtomicLong lastRoundStartedAt = new AtomicLong();
    /** When each timed-out probe gave up (epoch millis): which change it fell in. */
    final java.util.Queue<Long> timeouts = new java.util.concurrent.ConcurrentLinkedQueue<>();

    Probe(Vertx vertx, Jvm via, int lists) {
      this.vertx = vertx;
      this.via = via;
      this.lists = lists;
    }

    void stop() {
      stopped.set(true);
    }

    /** Returns once a round of reads that began at or after the given time has ended (within a bound). */
    void awaitRoundsAfter(long epochMillis) throws InterruptedException {
      long bound = Math.max(epochMillis, System.currentTimeMillis()) + PROBE_TIMEOUT_MS * 8;
      while (lastRoundStartedAt.get() < epochMillis) {
        if (System.currentTimeMillis() > bound) {
          throw new IllegalStateException("the probe ended no round that began after " + epochMillis);
        }
        Thread.sleep(Jvm.POLL_MILLIS * 10);
      }
    }

    @Override
    public void run() {
      while (!stopped.get()) {
        long startedAt = System.currentTimeMillis();
        List<Request> round = new ArrayList<>();
        for (int i = 0; i < PROBE_CONCURRENCY * 4; i++) {
          round.add(Request.get(via.httpPort(), "/api/lists/mc-" + random.nextInt(lists) + "/entries"));
        }
        try {
          for (Fanout.Outcome outcome : BenchContext.await(Fanout.send(vertx, round, PROBE_CONCURRENCY,
              PROBE_TIMEOUT_MS), Duration.ofMillis(PROBE_TIMEOUT_MS * 4))) {
            (outcome.ok() ? ok : outcome.status() < 0 ? timedOut : failed).incrementAndGet();
            if (outcome.status() < 0) {
              timeouts.add(outcome.endedAtMillis());
            }
          }
        } catch (Exception e) {
          timedOut.addAndGet(round.size());
        }
        lastRoundStartedAt.set(startedAt);
      }
    }
  }
}
