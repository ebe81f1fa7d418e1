package io.todocluster.jepsen;

import io.todocluster.jepsen.Anomaly.Kind;
import io.todocluster.jepsen.Op.Entry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks that rely on real-time order (package-private; used by {@link Checker}). "A before B"
 * means A completed before B was invoked, on the history's one clock; operations that overlap
 * may take effect in either order, so they are never compared.
 * <ul>
 *   <li>STALE_READ: an OK read that lacks an add acknowledged before the read began (neither its
 *       id nor its title shows), unless a delete of that id that may have happened was invoked
 *       before the read completed. One anomaly per stale read, on the reading node, at its
 *       invocation time, so a caller can keep only the majority side or a time window.
 *   <li>NOT_SINGLE_ORDER: an OK read B that lacks an id seen by some OK read A before B (same
 *       excuse). Reads of a linearizable list only grow between deletes, so every entry once
 *       seen must stay visible until a delete may have taken it. Compared by id, so updates of
 *       the title do not count. One anomaly per read B, naming the earliest such read A.
 *   <li>STALE_EPOCH_WRITE: two different titles acknowledged with the same id; or an add B
 *       acknowledged with an id lower than that of an add A acknowledged before B began (ids
 *       are per list, increasing, never reused, so the order of acknowledged adds is the order
 *       of their ids). A writer that lost its epoch but still wrote would break one of these.
 * </ul>
 */
final class RealTimeChecks {

  private RealTimeChecks() {
  }

  static void check(Facts f, List<Anomaly> found) {
    staleReads(f, found);
    singleOrder(f, found);
    idOrder(f, found);
  }

  private static void staleReads(Facts f, List<Anomaly> found) {
    List<Call> adds = byCompletion(f.ackedAdds);
    for (Call read : f.okReads) {
      Set<Long> ids = read.entries().stream().map(Entry::id).collect(Collectors.toSet());
      Set<String> titles = read.entries().stream().map(Entry::title).collect(Collectors.toSet());
      List<Call> missing = new ArrayList<>();
      for (Call add : adds) {
        if (add.completedAt() >= read.invokedAt()) {
          break;
        }
        Entry e = add.entry();
        if (!ids.contains(e.id()) && !titles.contains(e.title())
            && f.deleteInvokedBefore(e.id(), read.completedAt()) == null) {
          missing.add(add);
        }
      }
      if (!missing.isEmpty()) {
        Entry e = missing.get(0).entry();
        found.add(new Anomaly(Kind.STALE_READ, f.list, read.node(), read.invokedAt(), read.invoke().index(),
            "read op " + read.invoke().index() + " on " + read.node() + " lacks " + missing.size()
                + " add(s) acknowledged before it began, e.g. '" + e.title() + "' (id " + e.id() + ", op "
                + missing.get(0).invoke().index() + ")"));
      }
    }
  }

  private static void singleOrder(Facts f, List<Anomaly> found) {
    List<Call> done = byCompletion(f.okReads);
    List<Call> begun = new ArrayList<>(f.okReads);
    begun.sort(Comparator.comparingLong(Call::invokedAt));
    Map<Long, Call> firstSeen = new LinkedHashMap<>(); // id -> the earliest-completing read that saw it
    int next = 0;
    for (Call b : begun) {
      while (next < done.size() && done.get(next).completedAt() < b.invokedAt()) {
        Call a = done.get(next++);
        a.entries().forEach(x -> firstSeen.putIfAbsent(x.id(), a));
      }
      Set<Long> ids = new HashSet<>();
      b.entries().forEach(x -> ids.add(x.id()));
      Map.Entry<Long, Call> lost = null;
      int count = 0;
      for (Map.Entry<Long, Call> seen : firstSeen.entrySet()) {
        if (!ids.contains(seen.getKey()) && f.deleteInvokedBefore(seen.getKey(), b.completedAt()) == null) {
          lost = lost == null ? seen : lost;
          count++;
        }
      }
      if (lost != null) {
        found.add(new Anomaly(Kind.NOT_SINGLE_ORDER, f.list, b.node(), b.invokedAt(), b.invoke().index(),
            "read op " + b.invoke().index() + " on " + b.node() + " lacks " + count + " id(s) seen by earlier reads, e.g. id "
                + lost.getKey() + " seen by read op " + lost.getValue().invoke().index() + " on " + lost.getValue().node()));
      }
    }
  }

  private static void idOrder(Facts f, List<Anomaly> found) {
    Map<Long, List<Call>> byId = new TreeMap<>();
    f.ackedAdds.forEach(a -> byId.computeIfAbsent(a.entry().id(), i -> new ArrayList<>()).add(a));
    byId.forEach((id, adds) -> {
      Set<String> titles = adds.stream().map(a -> a.entry().title()).collect(Collectors.toCollection(java.util.TreeSet::new));
      if (titles.size() > 1) {
        Call second = adds.get(1);
        found.add(new Anomaly(Kind.STALE_EPOCH_WRITE, f.list, second.node(), second.invokedAt(), second.invoke().index(),
            "id " + id + " acknowledged for " + titles.size() + " titles " + titles));
      }
    });
    List<Call> done = byCompletion(f.ackedAdds);
    List<Call> begun = new ArrayList<>(f.ackedAdds);
    begun.sort(Comparator.comparingLong(Call::invokedAt));
    Call highest = null; // the acknowledged add with the highest id among those completed so far
    int next = 0;
    for (Call b : begun) {
      while (next < done.size() && done.get(next).completedAt() < b.invokedAt()) {
        Call a = done.get(next++);
        highest = highest == null || a.entry().id() > highest.entry().id() ? a : highest;
      }
      if (highest != null && b.entry().id() < highest.entry().id()) {
        found.add(new Anomaly(Kind.STALE_EPOCH_WRITE, f.list, b.node(), b.invokedAt(), b.invoke().index(),
            "add of '" + b.entry().title() + "' acknowledged with id " + b.entry().id() + " on " + b.node()
                + ", below id " + highest.entry().id() + " acknowledged for '" + highest.entry().title()
                + "' before it began"));
      }
    }
  }

  private static List<Call> byCompletion(List<Call> calls) {
    List<Call> sorted = new ArrayList<>(calls);
    sorted.sort(Comparator.comparingLong(Call::completedAt));
    return sorted;
  }
}
