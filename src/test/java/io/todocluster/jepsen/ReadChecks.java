package io.todocluster.jepsen;

import io.todocluster.jepsen.Anomaly.Kind;
import io.todocluster.jepsen.Op.Entry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks that look at one read at a time (package-private; used by {@link Checker}), over every
 * OK read of the history and every node's final read of the list:
 * <ul>
 *   <li>DUPLICATE: a title that appears more than once in one read, or an id that appears more
 *       than once with different titles.
 *   <li>UNEXPECTED_VALUE: a title that no add or update that may have happened wrote to this list
 *       (never invoked here, or only by operations that FAILed, which must have had no effect).
 *   <li>RESURRECTED_DELETE: an id read by a read invoked after a delete of that id was
 *       acknowledged (a final read comes after everything). Ids are never reused, so nothing
 *       excuses it.
 *   <li>STALE_EPOCH_WRITE: a title read under another id than the one its writer was given (an
 *       OK add's id, or the id an update targeted); or a title from an add of unknown outcome
 *       read under an id that was acknowledged for another title (the id was handed out twice).
 * </ul>
 * Each distinct anomaly (title, id, or id/title pair) is reported once, with the first read that
 * showed it, so a persistent fault counts once and not once per later read.
 */
final class ReadChecks {

  private ReadChecks() {
  }

  /** One read as these checks need it; a final read is invoked at Long.MAX_VALUE (after everything). */
  private record Read(String node, long invokedAt, long opIndex, List<Entry> entries) {
    String describe() {
      return opIndex < 0 ? "the final read of " + node : "read op " + opIndex + " on " + node;
    }
  }

  static void check(Facts f, Map<String, Map<String, List<Entry>>> finalReads, List<Anomaly> found) {
    List<Read> reads = new ArrayList<>();
    for (Call r : f.okReads) {
      reads.add(new Read(r.node(), r.invokedAt(), r.invoke().index(), r.entries()));
    }
    new TreeMap<>(finalReads).forEach((node, lists) -> {
      if (lists.containsKey(f.list)) {
        reads.add(new Read(node, Long.MAX_VALUE, -1, lists.get(f.list)));
      }
    });
    Map<Long, String> ackedTitle = new HashMap<>();
    f.ackedAdds.forEach(a -> ackedTitle.putIfAbsent(a.entry().id(), a.entry().title()));
    Set<String> reported = new HashSet<>();
    for (Read read : reads) {
      duplicates(f, read, reported, found);
      for (Entry x : read.entries()) {
        if (!f.written(x.title())) {
          report(found, reported, "unexpected " + x.title(), Kind.UNEXPECTED_VALUE, f, read,
              "'" + x.title() + "' (id " + x.id() + ") was " + (f.failedTitles.contains(x.title())
                  ? "written only by operations that failed" : "never written by any client") + ", seen in " + read.describe());
          continue;
        }
        Call delete = f.deleteAckedBefore(x.id(), read.invokedAt());
        if (delete != null) {
          report(found, reported, "resurrected " + x.id(), Kind.RESURRECTED_DELETE, f, read,
              "id " + x.id() + " ('" + x.title() + "') deleted by op " + delete.invoke().index()
                  + ", acknowledged before " + read.describe() + " began, which still shows it");
        }
        misplaced(f, read, x, ackedTitle, reported, found);
      }
    }
  }

  private static void duplicates(Facts f, Read read, Set<String> reported, List<Anomaly> found) {
    Map<String, Integer> titles = new LinkedHashMap<>();
    Map<Long, Set<String>> titlesById = new LinkedHashMap<>();
    for (Entry x : read.entries()) {
      titles.merge(x.title(), 1, Integer::sum);
      titlesById.computeIfAbsent(x.id(), i -> new HashSet<>()).add(x.title());
    }
    titles.forEach((title, n) -> {
      if (n > 1) {
        report(found, reported, "duplicate title " + title, Kind.DUPLICATE, f, read,
            "'" + title + "' appears " + n + " times in " + read.describe());
      }
    });
    titlesById.forEach((id, distinct) -> {
      if (distinct.size() > 1) {
        report(found, reported, "duplicate id " + id, Kind.DUPLICATE, f, read,
            "id " + id + " appears with titles " + distinct + " in " + read.describe());
      }
    });
  }

  private static void misplaced(Facts f, Read read, Entry x, Map<Long, String> ackedTitle, Set<String> reported,
      List<Anomaly> found) {
    List<Call> writers = f.writers.get(x.title());
    boolean idMatches = writers.stream().anyMatch(w -> w.entry().id() == x.id());
    if (idMatches) {
      return;
    }
    boolean unknownId = writers.stream().anyMatch(w -> w.entry().id() == 0); // an add of unknown outcome
    if (!unknownId) {
      report(found, reported, "misplaced " + x.id() + " " + x.title(), Kind.STALE_EPOCH_WRITE, f, read,
          "'" + x.title() + "' was written for id " + writers.get(0).entry().id() + " but " + read.describe()
              + " shows it with id " + x.id());
    } else if (ackedTitle.containsKey(x.id())) {
      report(found, reported, "reused " + x.id() + " " + x.title(), Kind.STALE_EPOCH_WRITE, f, read,
          "id " + x.id() + " was acknowledged for '" + ackedTitle.get(x.id()) + "' but " + read.describe()
              + " shows it holding '" + x.title() + "' from an add of unknown outcome");
    }
  }

  private static void report(List<Anomaly> found, Set<String> reported, String key, Kind kind, Facts f, Read read,
      String detail) {
    if (reported.add(key)) {
      found.add(new Anomaly(kind, f.list, read.node(), read.invokedAt(), read.opIndex(), detail));
    }
  }
}
