package io.todocluster.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Vert.x's built-in HA on 3 {@link BaselineMember}s: the third deploys the {@link HaProbe} with
 * {@code setHa(true)} and is killed with kill -9 (or frozen with SIGSTOP); the time until a survivor logs the probe's
 * start is the redeploy time, the time until a survivor logs a view of 2 the detection floor.
 */
final class HaBaseline {

  record Result(long redeployMillis, long viewMillis) {}

  static final Pattern PROBE_STARTED = Pattern.compile(HaProbe.STARTED + " at=(\\d+)");
  static final Pattern VIEW_OF_TWO = Pattern.compile(BaselineMember.VIEW + " members=2 at=(\\d+)");
  static final Pattern READY = Pattern.compile(BaselineMember.READY + " at=(\\d+)");
  /** JGroups' default detection took 2.6-4.1 s here after kill -9, ~41 s after SIGSTOP (notes): 90 s is past any healthy run. */
  static final Duration BOUND = Duration.ofSeconds(90);

  private HaBaseline() {}

  /** With {@code silent}, the holder is frozen with SIGSTOP instead of killed. */
  static Result run(BenchContext context, boolean defaultDetection, boolean silent) throws Exception {
    List<Jvm> members = startMembers(context.fleet(), "ha" + (defaultDetection ? "d" : "t"), "ha", defaultDetection,
        3, List.of("deploy=false", "deploy=false", "deploy=true"));
    Jvm holder = members.get(2);
    holder.awaitLine(PROBE_STARTED, BOUND);
    // the deployment is recorded in the replicated __vertx.haInfo cache as it completes; the
    // other members must have seen it before the kill, or they have nothing to fail over
    awaitHaInfoPropagated(holder);
    long killedAt = silent ? holder.pause() : holder.kill9();
    long redeployedAt = Long.MAX_VALUE;
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (redeployedAt == Long.MAX_VALUE && System.nanoTime() < deadline) {
      for (Jvm survivor : members.subList(0, 2)) {
        var line = survivor.findLine(PROBE_STARTED);
        if (line.isPresent()) {
          redeployedAt = Math.min(redeployedAt, Long.parseLong(line.get()));
        }
      }
      Thread.sleep(Jvm.POLL_MILLIS);
    }
    if (redeployedAt == Long.MAX_VALUE) {
      throw new IllegalStateException("Vert.x HA did not redeploy the probe within " + BOUND);
    }
    // the survivors also logged a view of 2 while the cluster formed: take the first one after the kill
    long viewAt = Long.MAX_VALUE;
    for (Jvm survivor : members.subList(0, 2)) {
      for (String at : survivor.allLines(VIEW_OF_TWO)) {
        if (Long.parseLong(at) >= killedAt) {
          viewAt = Math.min(viewAt, Long.parseLong(at));
          break;
        }
      }
    }
    if (viewAt == Long.MAX_VALUE) {
      throw new IllegalStateException("no survivor logged a view of 2 after the kill");
    }
    context.fleet().stop(members);
    return new Result(redeployedAt - killedAt, viewAt - killedAt);
  }

  /**
   * A settle between the deploy and the kill. HAManager's haInfo reaches the others as it is
   * written, but FD_SOCK2 connects to its ring neighbour only after a view is installed: one run
   * killed the holder 1 s after the cluster formed, and the survivors saw the new view only after
   * 5.9 s (FD_ALL3's timeout, not FD_SOCK2's closed socket). Our own nodes are killed 20 s or more
   * after they form (the lists are created in between), so 5 s here compares like with like.
   */
  static final long SETTLE_MS = 5_000;

  private static void awaitHaInfoPropagated(Jvm holder) throws InterruptedException {
    Thread.sleep(SETTLE_MS);
  }

  /** In a member's arguments: the process ids of the members started before it, comma-separated. */
  static final String PEERS_TOKEN = "{peers}";

  /** n baseline members of one cluster: the first alone, then the others together; waits until all are ready. */
  static List<Jvm> startMembers(JvmFleet fleet, String prefix, String mode, boolean defaultDetection, int n,
      List<String> perMemberArgs) throws Exception {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ports.add(Ports.freeClusterPort());
    }
    String seeds = String.join(",", ports.stream().map(String::valueOf).toList());
    List<Jvm> members = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<String> args = new ArrayList<>(List.of("mode=" + mode, "name=" + prefix + (i + 1), "port=" + ports.get(i),
          "seeds=" + seeds, "data=" + JvmFleet.DATA_DIR_TOKEN, "detection=" + (defaultDetection ? "default" : "tuned")));
      String peers = String.join(",", members.stream().map(m -> Long.toString(m.pid())).toList());
      args.addAll(List.of(perMemberArgs.get(i).replace(PEERS_TOKEN, peers).split(" ")));
      Jvm member = fleet.startMain(prefix + (i + 1), BaselineMember.class, 0, ports.get(i), args);
      members.add(member);
      if (i == 0) {
        member.awaitLine(READY, BOUND);
      }
    }
    for (Jvm member : members) {
      member.awaitLine(READY, BOUND);
    }
    return members;
  }
}
