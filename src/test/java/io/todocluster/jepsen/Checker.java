package io.todocluster.jepsen;

import io.todocluster.jepsen.Anomaly.Kind;
import io.todocluster.jepsen.Op.Entry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Judges a history against the data the nodes hold after healing.
 *
 * <p>Public API: {@link #check(History, Map)} returns a {@link CheckResult};
 * {@link #divergentLists(Map)} tells which lists still differ between nodes, for a harness that
 * polls until the nodes converge and measures how long that takes.
 *
 * <p>{@code finalReads} is node -> list -> entries, read from each healthy node after the faults
 * have healed and the workload has stopped (a node that is down is left out: its absence is not
 * data). A list missing from a node's map reads as empty. What is checked, per list:
 * <ul>
 *   <li>LOST_WRITE (here): an ADD that was OK and whose entry (its id holding its title or the
 *       title of an update of that id that did not fail, or its title under any id) is absent
 *       from some node's final read, unless a delete of that id may have happened (OK, INFO or
 *       in flight); an UPDATE that was OK whose id is absent (same excuse) or holds another
 *       title than the update's, unless that title comes from another update of the id that may
 *       have happened and did not complete before this update began (it may be ordered after).
 *       One anomaly per write, naming the nodes that lack it.
 *   <li>DIVERGENCE (here): the nodes' final reads of the list differ. One anomaly per list.
 *   <li>DUPLICATE, UNEXPECTED_VALUE, RESURRECTED_DELETE and reused ids: {@link ReadChecks}, over
 *       every OK read of the history and every final read.
 *   <li>STALE_READ, NOT_SINGLE_ORDER and ids that go backwards: {@link RealTimeChecks}, over the
 *       OK reads and acknowledged adds of the history.
 * </ul>
 * INFO is never held against the service: an INFO add may or may not appear, an INFO delete may
 * or may not have removed its entry. Each check is sound for a linearizable service (it never
 * reports a history that such a service could produce) given titles unique per operation.
 */
public final class Checker {

  private Checker() {
  }

  public static CheckResult check(History history, Map<String, Map<String, List<Entry>>> finalReads) {
    Map<String, Facts> facts = Facts.byList(history.calls());
    finalReads.values().forEach(lists -> lists.keySet().forEach(l -> facts.computeIfAbsent(l, Facts::empty)));
    List<Anomaly> found = new ArrayList<>();
    for (Facts f : facts.values()) {
      lostAdds(f, finalReads, found);
      lostUpdates(f, finalReads, found);
      ReadChecks.check(f, finalReads, found);
      RealTimeChecks.check(f, found);
    }
    divergence(finalReads, found);
    return new CheckResult(found);
  }

  /** Lists whose final reads are not the same on every node (entries compared in id order). */
  public static SortedSet<String> divergentLists(Map<String, Map<String, List<Entry>>> finalReads) {
    SortedSet<String> lists = new TreeSet<>();
    finalReads.values().forEach(m -> lists.addAll(m.keySet()));
    lists.removeIf(list -> finalReads.values().stream().map(m -> sorted(m.getOrDefault(list, List.of())))
        .distinct().count() <= 1);
    return lists;
  }

  private static void lostAdds(Facts f, Map<String, Map<String, List<Entry>>> finalReads, List<Anomaly> found) {
    for (Call add : f.ackedAdds) {
      Entry e = add.entry();
      if (f.deleteInvokedBefore(e.id(), Long.MAX_VALUE) != null) {
        continue; // it may have been deleted: absence proves nothing
      }
      List<String> lacking = new ArrayList<>();
      for (var node : new TreeMap<>(finalReads).entrySet()) {
        boolean present = node.getValue().getOrDefault(f.list, List.of()).stream()
            .anyMatch(x -> Objects.equals(x.title(), e.title()) || (x.id() == e.id() && f.mayBeUpdatedTo(e.id(), x.title())));
        if (!present) {
          lacking.add(node.getKey());
        }
      }
      if (!lacking.isEmpty()) {
        found.add(new Anomaly(Kind.LOST_WRITE, f.list, add.node(), add.invokedAt(), add.invoke().index(),
            "add of '" + e.title() + "' acknowledged with id " + e.id() + " is missing on " + lacking));
      }
    }
  }

  private static void lostUpdates(Facts f, Map<String, Map<String, List<Entry>>> finalReads, List<Anomaly> found) {
    for (Call update : f.ackedUpdates) {
      Entry e = update.entry();
      List<String> lacking = new ArrayList<>();
      for (var node : new TreeMap<>(finalReads).entrySet()) {
        Entry held = node.getValue().getOrDefault(f.list, List.of()).stream()
            .filter(x -> x.id() == e.id()).findFirst().orElse(null);
        if (held == null ? f.deleteInvokedBefore(e.id(), Long.MAX_VALUE) == null
            : !Objects.equals(held.title(), e.title()) && !supersededBy(f, update, held.title())) {
          lacking.add(node.getKey() + (held == null ? " (absent)" : " (holds '" + held.title() + "')"));
        }
      }
      if (!lacking.isEmpty()) {
        found.add(new Anomaly(Kind.LOST_WRITE, f.list, update.node(), update.invokedAt(), update.invoke().index(),
            "update of id " + e.id() + " to '" + e.title() + "' acknowledged, but lost on " + lacking));
      }
    }
  }

  /** Whether {@code title} was written to the same id by an update that may be ordered after {@code update}. */
  private static boolean supersededBy(Facts f, Call update, String title) {
    return f.possibleUpdates.getOrDefault(update.entry().id(), List.of()).stream()
        .anyMatch(u -> u != update && Objects.equals(u.entry().title(), title) && u.completedAt() > update.invokedAt());
  }

  private static void divergence(Map<String, Map<String, List<Entry>>> finalReads, List<Anomaly> found) {
    for (String list : divergentLists(finalReads)) {
      Map<String, List<Entry>> byNode = new TreeMap<>();
      Set<Entry> union = new LinkedHashSet<>();
      finalReads.forEach((node, lists) -> byNode.put(node, sorted(lists.getOrDefault(list, List.of()))));
      byNode.values().forEach(union::addAll);
      List<String> parts = new ArrayList<>();
      byNode.forEach((node, entries) -> {
        List<Entry> lacks = union.stream().filter(x -> !entries.contains(x)).limit(3).toList();
        parts.add(node + ": " + entries.size() + " entries" + (lacks.isEmpty() ? "" : ", lacks " + lacks));
      });
      found.add(new Anomaly(Kind.DIVERGENCE, list, null, Long.MAX_VALUE, -1, String.join("; ", parts)));
    }
  }

  private static List<Entry> sorted(List<Entry> entries) {
    Comparator<Entry> byId = Comparator.comparingLong(Entry::id);
    return entries.stream().sorted(byId.thenComparing(Entry::title, Comparator.nullsFirst(Comparator.naturalOrder())))
        .toList();
  }
}
