package io.todocluster.jepsen;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One thing a checker found wrong.
 *
 * <p>{@code node} is the node whose answer shows the anomaly (the reading node for a stale read,
 * the node a write went through for a lost write, null when no single node is to blame, as for
 * divergence); {@code time} is when the evidence was gathered (the invocation of the read or
 * write concerned, history clock; {@code Long.MAX_VALUE} for the final reads after healing);
 * {@code opIndex} is the history index of the invocation concerned, or -1. {@link #onNodes} and
 * {@link #between} let a caller keep, say, only stale reads served by the majority side while a
 * partition was in force.
 */
public record Anomaly(Kind kind, String list, String node, long time, long opIndex, String detail) {

  /** The anomalies the checkers can report. */
  public enum Kind {
    /** An acknowledged add or update that is not in the data after healing. */
    LOST_WRITE,
    /** A title (or id) present more than once in one read. */
    DUPLICATE,
    /** A title no client wrote, or only operations that failed (FAIL means it did not happen). */
    UNEXPECTED_VALUE,
    /** An id read after its delete was acknowledged. */
    RESURRECTED_DELETE,
    /** A read invoked after an add was acknowledged, that does not show it. */
    STALE_READ,
    /** A read that lost an entry an earlier read (completed before it began) had seen. */
    NOT_SINGLE_ORDER,
    /** Nodes whose final reads of one list differ after healing. */
    DIVERGENCE,
    /** Ids reused or going backwards: what a writer with a stale epoch would produce. */
    STALE_EPOCH_WRITE
  }

  /** Keeps anomalies seen on one of these nodes. */
  public static Predicate<Anomaly> onNodes(Set<String> nodes) {
    return a -> a.node() != null && nodes.contains(a.node());
  }

  /** Keeps anomalies whose evidence was gathered in [from, to) on the history clock. */
  public static Predicate<Anomaly> between(long from, long to) {
    return a -> a.time() >= from && a.time() < to;
  }

  public JsonObject toJson() {
    return new JsonObject().put("kind", kind.name()).put("list", list).put("node", node).put("time", time)
        .put("op", opIndex).put("detail", detail);
  }
}
