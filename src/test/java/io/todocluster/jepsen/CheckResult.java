package io.todocluster.jepsen;

import io.todocluster.jepsen.Anomaly.Kind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What the checkers found: every anomaly, with counts per kind.
 *
 * <p>Public API: {@link #valid()}, {@link #count(Kind)}, {@link #counts()}, {@link #countByNode(Kind)}, {@link #anomalies()},
 * {@link #examples(Kind, int)}, {@link #where(Kind, Predicate)} to narrow one kind (e.g. stale
 * reads to the majority side) and {@link #toJson(int)} for a report. Immutable.
 */
public final class CheckResult {

  private final List<Anomaly> anomalies;

  public CheckResult(List<Anomaly> anomalies) {
    this.anomalies = List.copyOf(anomalies);
  }

  /** True when nothing was found. */
  public boolean valid() {
    return anomalies.isEmpty();
  }

  public List<Anomaly> anomalies() {
    return anomalies;
  }

  public long count(Kind kind) {
    return anomalies.stream().filter(a -> a.kind() == kind).count();
  }

  /** Count per kind, every kind present (0 included), in declaration order. */
  public Map<Kind, Long> counts() {
    Map<Kind, Long> counts = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      counts.put(kind, count(kind));
    }
    return counts;
  }

  /** Count of one kind per node (anomalies with no node under "-"), e.g. stale reads per side. */
  public Map<String, Long> countByNode(Kind kind) {
    Map<String, Long> counts = new TreeMap<>();
    anomalies.stream().filter(a -> a.kind() == kind)
        .forEach(a -> counts.merge(a.node() == null ? "-" : a.node(), 1L, Long::sum));
    return counts;
  }

  /** The first {@code max} anomalies of one kind, in the order found. */
  public List<Anomaly> examples(Kind kind, int max) {
    return anomalies.stream().filter(a -> a.kind() == kind).limit(max).toList();
  }

  /**
   * A result where anomalies of {@code kind} are kept only if {@code keep} accepts them; other
   * kinds are untouched. E.g. {@code where(STALE_READ, Anomaly.onNodes(majority))}.
   */
  public CheckResult where(Kind kind, Predicate<Anomaly> keep) {
    List<Anomaly> kept = new ArrayList<>();
    for (Anomaly a : anomalies) {
      if (a.kind() != kind || keep.test(a)) {
        kept.add(a);
      }
    }
    return new CheckResult(kept);
  }

  /** Counts and up to {@code examplesPerKind} examples of each kind. */
  public JsonObject toJson(int examplesPerKind) {
    JsonObject counts = new JsonObject();
    JsonObject examples = new JsonObject();
    for (Map.Entry<Kind, Long> e : counts().entrySet()) {
      counts.put(e.getKey().name(), e.getValue());
      JsonArray some = new JsonArray();
      examples(e.getKey(), examplesPerKind).forEach(a -> some.add(a.toJson()));
      if (!some.isEmpty()) {
        examples.put(e.getKey().name(), some);
      }
    }
    return new JsonObject().put("valid", valid()).put("counts", counts).put("examples", examples);
  }

  @Override
  public String toString() {
    return toJson(3).encodePrettily();
  }
}
