package io.todocluster.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * When a cluster that restarted as a whole may serve again: once every present member has
 * offered its stored copies, and those members include a majority of the newest membership any
 * of them remembers. Every acknowledged write was stored by a majority of the membership it was
 * written in, and a membership is only remembered once the store has rebalanced to it, so any
 * majority of the newest one holds every acknowledged write (DESIGN decision 9). Members that
 * remember nothing (a new node, a lost disk) count for no one.
 */
public final class FormationRule {

  /** What the members present decided: form (with the new formation number) or wait (and why). */
  public record Decision(boolean form, long formation, String waitingFor) {
    static Decision wait(String why) {
      return new Decision(false, 0, why);
    }
  }

  private FormationRule() {
  }

  /**
   * @param present the members in the view (node names)
   * @param offered what each member that has offered its copies remembers, by node name (empty
   *     when it remembers nothing)
   */
  public static Decision decide(Collection<String> present, Map<String, Optional<LastMembership>> offered) {
    Set<String> notYet = new TreeSet<>(present);
    notYet.removeAll(offered.keySet());
    if (!notYet.isEmpty()) {
      return Decision.wait("waiting for " + String.join(", ", notYet) + " to offer their stored copies");
    }
    Optional<LastMembership> newest = offered.values().stream().flatMap(Optional::stream).max(LastMembership.AGE);
    long formation = offered.values().stream().flatMap(Optional::stream)
        .mapToLong(LastMembership::formation).max().orElse(0) + 1;
    if (newest.isEmpty()) {
      return new Decision(true, formation, null);
    }
    LastMembership last = newest.get();
    List<String> back = new ArrayList<>(last.members());
    back.retainAll(offered.keySet());
    if (back.size() >= last.majority()) {
      return new Decision(true, formation, null);
    }
    List<String> missing = new ArrayList<>(last.members());
    missing.removeAll(offered.keySet());
    return Decision.wait("waiting for " + (last.majority() - back.size()) + " more of the " + last.members().size()
        + " members this cluster last served with " + last.members() + " (missing: " + String.join(", ", missing)
        + "); if a member is gone for good, see 'forget-member' in the README");
  }
}
