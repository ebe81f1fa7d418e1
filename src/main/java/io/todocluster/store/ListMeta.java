package io.todocluster.store;

import io.vertx.core.json.JsonObject;

/**
 * The stored head of one list: its fencing token and where its ids stand. The head is written
 * only when a new writer takes the list over, which moves {@code version} (the epoch) on: any
 * earlier writer is fenced from then on (see {@link ListStore}). {@code floor} is an id below
 * which every id has been given; the ids above it are found by reading the entries themselves,
 * since a writer gives them out one at a time without touching the head.
 *
 * <p>Stored as {@code {"floor":n,"version":v}}. A head written by the protocol before this one
 * ({@code {"nextId":n,"version":v}}, moved on every write) reads as a floor of {@code n}; a node
 * of that older version cannot read this format and refuses to load the list (the field it needs
 * is absent) rather than misread it.
 */
public record ListMeta(long floor, long version) {

  public static final ListMeta EMPTY = new ListMeta(1, 0);

  private static final String FLOOR = "floor";
  private static final String NEXT_ID_BEFORE_EPOCHS = "nextId";

  /** The head a new writer takes the list over with: the next epoch. */
  public ListMeta nextEpoch() {
    return new ListMeta(floor, version + 1);
  }

  String encode() {
    return new JsonObject().put(FLOOR, floor).put(VersionedMergePolicy.VERSION, version).encode();
  }

  static ListMeta decode(String json) {
    JsonObject o = new JsonObject(json);
    Long floor = o.getLong(FLOOR, o.getLong(NEXT_ID_BEFORE_EPOCHS));
    Long version = o.getLong(VersionedMergePolicy.VERSION);
    if (floor == null || version == null) {
      throw new IllegalStateException("not a list head: " + json);
    }
    return new ListMeta(floor, version);
  }
}
