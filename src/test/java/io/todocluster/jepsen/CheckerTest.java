package io.todocluster.jepsen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.todocluster.jepsen.Anomaly.Kind;
import io.todocluster.jepsen.History.Handle;
import io.todocluster.jepsen.Op.Entry;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Hand-made histories, each with one known fault, show that every checker reports what it
 * claims and nothing else. The clock ticks once per event, so the order in which a test records
 * events is their real-time order.
 */
@DisplayName("The checker")
class CheckerTest {

  private static final Entry A = new Entry(1, "a");
  private static final Entry B = new Entry(2, "b");

  private final History history = new History(new AtomicLong()::incrementAndGet);

  /** Final reads after healing: every node holds the same entries of list "l". */
  private static Map<String, Map<String, List<Entry>>> everywhere(Entry... entries) {
    return Map.of("n1", Map.of("l", List.of(entries)), "n2", Map.of("l", List.of(entries)));
  }

  private Op added(int process, String node, Entry entry) {
    return history.add(process, node, "l", entry.title()).ok(entry);
  }

  private Op read(int process, String node, Entry... entries) {
    return history.read(process, node, "l").ok(List.of(entries));
  }

  private CheckResult check(Map<String, Map<String, List<Entry>>> finalReads) {
    return Checker.check(history, finalReads);
  }

  @Test
  @DisplayName("passes a valid history with adds, reads, an update, a delete and operations of unknown outcome")
  void validHistory() {
    added(1, "n1", A);
    Handle slowRead = history.read(2, "n2", "l"); // overlaps the add of b: may miss it
    added(3, "n1", B);
    slowRead.ok(List.of(A));
    read(4, "n2", A, B);
    history.update(5, "n1", "l", 2, "b2").ok();
    Handle delete = history.delete(6, "n2", "l", 1);
    read(7, "n1", A, new Entry(2, "b2")); // concurrent with the delete: may still see a
    delete.ok();
    history.add(8, "n1", "l", "c").info(); // unknown: it did happen
    history.add(9, "n2", "l", "d").fail(); // did not happen
    read(10, "n2", new Entry(2, "b2"), new Entry(3, "c"));

    CheckResult result = check(everywhere(new Entry(2, "b2"), new Entry(3, "c")));

    assertThat(result.anomalies()).isEmpty();
    assertThat(result.valid()).isTrue();
    assertThat(result.counts()).containsOnlyKeys(Kind.values()).allSatisfy((kind, n) -> assertThat(n).isZero());
  }

  @Test
  @DisplayName("reports an acknowledged add that is missing after healing as a lost write")
  void lostWrite() {
    Op ack = added(1, "n1", A);
    added(2, "n2", B);

    CheckResult result = check(Map.of("n1", Map.of("l", List.of(B)), "n2", Map.of("l", List.of(A, B))));

    assertThat(result.anomalies()).extracting(Anomaly::kind).containsOnly(Kind.LOST_WRITE, Kind.DIVERGENCE);
    assertThat(result.examples(Kind.LOST_WRITE, 5)).singleElement().satisfies(a -> {
      assertThat(a.list()).isEqualTo("l");
      assertThat(a.node()).isEqualTo("n1");
      assertThat(a.opIndex()).isEqualTo(ack.index() - 1);
      assertThat(a.detail()).isEqualTo("add of 'a' acknowledged with id 1 is missing on [n1]");
    });
  }

  @Test
  @DisplayName("reports an acknowledged update overwritten by an older value as a lost write")
  void lostUpdate() {
    added(1, "n1", A);
    history.update(2, "n1", "l", 1, "x").ok();
    history.update(3, "n2", "l", 1, "y").ok(); // began after x was acknowledged: y must win

    CheckResult result = check(everywhere(new Entry(1, "x")));

    assertThat(result.anomalies()).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo(Kind.LOST_WRITE);
      assertThat(a.detail()).isEqualTo("update of id 1 to 'y' acknowledged, but lost on [n1 (holds 'x'), n2 (holds 'x')]");
    });
  }

  @Test
  @DisplayName("accepts either winner of two concurrent updates")
  void concurrentUpdates() {
    added(1, "n1", A);
    Handle x = history.update(2, "n1", "l", 1, "x");
    Handle y = history.update(3, "n2", "l", 1, "y");
    y.ok();
    x.ok();

    assertThat(check(everywhere(new Entry(1, "y"))).anomalies()).isEmpty();
    assertThat(check(everywhere(new Entry(1, "x"))).anomalies()).isEmpty();
  }

  @Test
  @DisplayName("reports a read that began after an add was acknowledged and lacks it as a stale read, on the reading node")
  void staleRead() {
    added(1, "n1", A);
    Op stale = read(2, "n2");

    CheckResult result = check(everywhere(A));

    assertThat(result.anomalies()).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo(Kind.STALE_READ);
      assertThat(a.node()).isEqualTo("n2");
      assertThat(a.opIndex()).isEqualTo(stale.index() - 1);
      assertThat(a.detail()).isEqualTo("read op 2 on n2 lacks 1 add(s) acknowledged before it began, e.g. 'a' (id 1, op 0)");
    });
    assertThat(result.countByNode(Kind.STALE_READ)).isEqualTo(Map.of("n2", 1L));
    assertThat(result.where(Kind.STALE_READ, Anomaly.onNodes(Set.of("n1", "n3"))).valid()).isTrue();
    assertThat(result.where(Kind.STALE_READ, Anomaly.between(3, 4)).count(Kind.STALE_READ)).isEqualTo(1);
    assertThat(result.where(Kind.STALE_READ, Anomaly.between(0, 3)).valid()).isTrue();
  }

  @Test
  @DisplayName("does not report a read that lacks an add it overlapped, or one whose entry a pending delete may have removed")
  void notStale() {
    Handle overlapping = history.read(1, "n2", "l");
    added(2, "n1", A);
    overlapping.ok(List.of());
    history.delete(3, "n1", "l", 1).info();
    read(4, "n2");

    assertThat(check(everywhere()).anomalies()).isEmpty();
  }

  @Test
  @DisplayName("reports a title read twice as a duplicate")
  void duplicate() {
    added(1, "n1", A);
    Op twice = read(2, "n2", A, A);

    CheckResult result = check(everywhere(A));

    assertThat(result.anomalies()).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo(Kind.DUPLICATE);
      assertThat(a.opIndex()).isEqualTo(twice.index() - 1);
      assertThat(a.detail()).isEqualTo("'a' appears 2 times in read op 2 on n2");
    });
  }

  @Test
  @DisplayName("reports an entry read after its delete was acknowledged as a resurrected delete")
  void resurrectedDelete() {
    added(1, "n1", A);
    history.delete(2, "n1", "l", 1).ok();
    read(3, "n2", A);

    CheckResult result = check(everywhere());

    assertThat(result.anomalies()).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo(Kind.RESURRECTED_DELETE);
      assertThat(a.node()).isEqualTo("n2");
      assertThat(a.detail()).isEqualTo("id 1 ('a') deleted by op 2, acknowledged before read op 4 on n2 began, which still shows it");
    });
  }

  @Test
  @DisplayName("reports titles no client wrote, or only failed operations wrote, as unexpected values")
  void unexpectedValue() {
    added(1, "n1", A);
    history.add(2, "n1", "l", "b").fail();

    CheckResult result = check(everywhere(A, B, new Entry(3, "zzz")));

    assertThat(result.anomalies()).extracting(Anomaly::kind, Anomaly::detail).containsExactly(
        tuple(Kind.UNEXPECTED_VALUE, "'b' (id 2) was written only by operations that failed, seen in the final read of n1"),
        tuple(Kind.UNEXPECTED_VALUE, "'zzz' (id 3) was never written by any client, seen in the final read of n1"));
  }

  @Test
  @DisplayName("reports nodes whose final reads of a list differ as divergence")
  void divergence() {
    added(1, "n1", A);
    history.add(2, "n2", "l", "b").info();
    Map<String, Map<String, List<Entry>>> finalReads =
        Map.of("n1", Map.of("l", List.of(A)), "n2", Map.of("l", List.of(A, B)), "n3", Map.of("l", List.of(A)));

    CheckResult result = check(finalReads);

    assertThat(Checker.divergentLists(finalReads)).containsExactly("l");
    assertThat(result.anomalies()).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo(Kind.DIVERGENCE);
      assertThat(a.list()).isEqualTo("l");
      assertThat(a.detail()).isEqualTo("n1: 1 entries, lacks [Entry[id=2, title=b]]; n2: 2 entries; "
          + "n3: 1 entries, lacks [Entry[id=2, title=b]]");
    });
    assertThat(Checker.divergentLists(everywhere(A, B))).isEmpty();
  }

  @Test
  @DisplayName("does not report an add of unknown outcome that never appears")
  void infoAddMissingIsNotLost() {
    history.add(1, "n1", "l", "a").info();
    history.add(2, "n2", "l", "b"); // still in flight when the run ended
    read(3, "n1");

    CheckResult result = check(everywhere());

    assertThat(result.anomalies()).isEmpty();
  }

  @Test
  @DisplayName("reports an add acknowledged with an id below one acknowledged before it began")
  void idGoesBackwards() {
    added(1, "n1", new Entry(2, "a"));
    added(2, "n2", new Entry(1, "b"));

    CheckResult result = check(everywhere(new Entry(1, "b"), new Entry(2, "a")));

    assertThat(result.anomalies()).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo(Kind.STALE_EPOCH_WRITE);
      assertThat(a.node()).isEqualTo("n2");
      assertThat(a.detail()).isEqualTo("add of 'b' acknowledged with id 1 on n2, below id 2 acknowledged for 'a' before it began");
    });
  }

  @Test
  @DisplayName("reports one id acknowledged for two titles, and the write it overwrote as lost")
  void reusedId() {
    added(1, "n1", A);
    added(2, "n2", new Entry(1, "b"));

    CheckResult result = check(everywhere(new Entry(1, "b")));

    assertThat(result.anomalies()).extracting(Anomaly::kind, Anomaly::detail).containsExactlyInAnyOrder(
        tuple(Kind.LOST_WRITE, "add of 'a' acknowledged with id 1 is missing on [n1, n2]"),
        tuple(Kind.STALE_EPOCH_WRITE, "id 1 acknowledged for 2 titles [a, b]"));
  }

  @Test
  @DisplayName("reports an id handed out again to an add of unknown outcome")
  void reusedIdByUnknownAdd() {
    added(1, "n1", A);
    history.add(2, "n2", "l", "b").info();

    CheckResult result = check(everywhere(new Entry(1, "b")));

    assertThat(result.anomalies()).extracting(Anomaly::kind, Anomaly::detail).containsExactlyInAnyOrder(
        tuple(Kind.LOST_WRITE, "add of 'a' acknowledged with id 1 is missing on [n1, n2]"),
        tuple(Kind.STALE_EPOCH_WRITE,
            "id 1 was acknowledged for 'a' but the final read of n1 shows it holding 'b' from an add of unknown outcome"));
  }

  @Test
  @DisplayName("reports a read that lost an entry an earlier read had seen as not a single order")
  void notSingleOrder() {
    history.add(1, "n1", "l", "a").info(); // unknown: so the second read is not a stale read
    read(2, "n1", A);
    Op later = read(3, "n2");

    CheckResult result = check(everywhere(A));

    assertThat(result.anomalies()).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo(Kind.NOT_SINGLE_ORDER);
      assertThat(a.node()).isEqualTo("n2");
      assertThat(a.opIndex()).isEqualTo(later.index() - 1);
      assertThat(a.detail()).isEqualTo("read op 4 on n2 lacks 1 id(s) seen by earlier reads, e.g. id 1 seen by read op 2 on n1");
    });
  }

  @Test
  @DisplayName("does not compare reads that overlap in time")
  void overlappingReadsAreNotOrdered() {
    history.add(1, "n1", "l", "a").info();
    Handle first = history.read(2, "n1", "l");
    Handle second = history.read(3, "n2", "l");
    first.ok(List.of(A));
    second.ok(List.of());

    assertThat(check(everywhere(A)).anomalies()).isEmpty();
  }

  @Test
  @DisplayName("checks a history saved to JSON lines and loaded back the same way")
  void checksLoadedHistory() throws Exception {
    added(1, "n1", A);
    read(2, "n2");
    StringWriter text = new StringWriter();
    history.writeJsonLines(text);

    History loaded = History.readJsonLines(new StringReader(text.toString()));

    assertThat(Checker.check(loaded, everywhere(A)).anomalies()).isEqualTo(check(everywhere(A)).anomalies())
        .extracting(Anomaly::kind).containsExactly(Kind.STALE_READ);
  }
}
