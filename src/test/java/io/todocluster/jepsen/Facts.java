package io.todocluster.jepsen;

import io.todocluster.jepsen.Op.F;
import io.todocluster.jepsen.Op.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the history says about one list, indexed once for the checkers (package-private).
 *
 * <p>The three outcomes are read as Jepsen reads them: OK happened; FAIL did not happen; INFO
 * (and an operation still in flight) may have happened, at any time after its invocation. So an
 * excuse ("this entry may have been deleted") accepts OK and INFO deletes, never FAIL ones.
 * Titles are assumed unique per operation (the workload makes them so): a title then names the
 * one operation that wrote it.
 */
final class Facts {

  final String list;
  final List<Call> ackedAdds = new ArrayList<>();
  final List<Call> ackedUpdates = new ArrayList<>();
  final List<Call> okReads = new ArrayList<>();
  /** Deletes that may have happened (OK, INFO, in flight), by id. */
  final Map<Long, List<Call>> possibleDeletes = new HashMap<>();
  /** Updates that may have happened, by id. */
  final Map<Long, List<Call>> possibleUpdates = new HashMap<>();
  /** Adds and updates that may have happened, by the title they write. */
  final Map<String, List<Call>> writers = new HashMap<>();
  /** Titles of adds and updates that failed (definitely not written by that operation). */
  final Set<String> failedTitles = new HashSet<>();

  private Facts(String list) {
    this.list = list;
  }

  /** Facts per list, lists in name order. */
  static Map<String, Facts> byList(List<Call> calls) {
    Map<String, Facts> facts = new TreeMap<>();
    for (Call call : calls) {
      facts.computeIfAbsent(call.list(), Facts::new).record(call);
    }
    return facts;
  }

  static Facts empty(String list) {
    return new Facts(list);
  }

  private void record(Call call) {
    F f = call.f();
    if (f == F.READ) {
      if (call.ok()) {
        okReads.add(call);
      }
      return;
    }
    long id = call.entry().id();
    if (!call.mayHaveHappened()) {
      if (f == F.ADD || f == F.UPDATE) {
        failedTitles.add(call.entry().title());
      }
      return;
    }
    switch (f) {
      case ADD -> {
        writers.computeIfAbsent(call.entry().title(), t -> new ArrayList<>()).add(call);
        if (call.ok()) {
          ackedAdds.add(call);
        }
      }
      case UPDATE -> {
        writers.computeIfAbsent(call.entry().title(), t -> new ArrayList<>()).add(call);
        possibleUpdates.computeIfAbsent(id, i -> new ArrayList<>()).add(call);
        if (call.ok()) {
          ackedUpdates.add(call);
        }
      }
      case DELETE -> possibleDeletes.computeIfAbsent(id, i -> new ArrayList<>()).add(call);
      default -> throw new IllegalStateException(f.name());
    }
  }

  /** A delete of {@code id} that may have happened and was invoked before {@code time}. */
  Call deleteInvokedBefore(long id, long time) {
    for (Call d : possibleDeletes.getOrDefault(id, List.of())) {
      if (d.invokedAt() < time) {
        return d;
      }
    }
    return null;
  }

  /** A delete of {@code id} acknowledged before {@code time}. */
  Call deleteAckedBefore(long id, long time) {
    for (Call d : possibleDeletes.getOrDefault(id, List.of())) {
      if (d.ok() && d.completedAt() < time) {
        return d;
      }
    }
    return null;
  }

  /** Whether an update of {@code id} that may have happened wrote {@code title}. */
  boolean mayBeUpdatedTo(long id, String title) {
    return possibleUpdates.getOrDefault(id, List.of()).stream().anyMatch(u -> title != null && title.equals(u.entry().title()));
  }

  /** Whether {@code title} may be in this list at all: written by an add or update that did not fail. */
  boolean written(String title) {
    return writers.containsKey(title);
  }
}
