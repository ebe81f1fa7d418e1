package io.todocluster.jepsen;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One event of a Jepsen-style history: a client (process) invoking an operation, or that
 * operation's completion.
 *
 * <p>Public API: the record {@code Op(index, process, type, f, list, node, time, value)}, the
 * enums {@link Type} and {@link F}, and the values {@link Entry} and {@link Entries}. What
 * {@code value} holds depends on {@code f} and {@code type}:
 * <ul>
 *   <li>ADD: invoke holds {@code Entry(0, title)} (id 0 = not yet assigned; the service's ids
 *       start at 1); its OK holds the entry the service returned, {@code Entry(id, title)}.
 *   <li>UPDATE: {@code Entry(id, newTitle)} on invoke and completion.
 *   <li>DELETE: {@code Entry(id, null)} on invoke and completion.
 *   <li>READ: null on invoke; its OK holds {@code Entries}, what the node answered.
 * </ul>
 * FAIL and INFO completions repeat the invoke's value, so each line of a saved history reads on
 * its own. {@code time} is monotonic nanoseconds from one clock per history (only differences
 * and order mean something); {@code index} is the position in the history.
 */
public record Op(long index, int process, Type type, F f, String list, String node, long time, Value value) {

  /** Jepsen's outcome vocabulary. */
  public enum Type {
    /** The client sent the request. */
    INVOKE,
    /** Acknowledged: it happened. */
    OK,
    /** Definitely did not happen (e.g. a 503 or 404 before any effect). */
    FAIL,
    /** Unknown (timeout, reset): it may or may not have happened, now or later. */
    INFO
  }

  /** The operations of the to-do HTTP API. */
  public enum F { ADD, READ, UPDATE, DELETE }

  /** What an operation carries: one entry (add, update, delete) or a whole read. */
  public sealed interface Value permits Entry, Entries {
    JsonObject toJson();

    static Value fromJson(JsonObject json) {
      if (json == null) {
        return null;
      }
      JsonArray read = json.getJsonArray("entries");
      if (read != null) {
        List<Entry> entries = new ArrayList<>(read.size());
        for (int i = 0; i < read.size(); i++) {
          entries.add(Entry.fromJson(read.getJsonObject(i)));
        }
        return new Entries(entries);
      }
      return Entry.fromJson(json);
    }
  }

  /** A to-do entry as the black box shows it: id (0 = unknown) and title (null = not given). */
  public record Entry(long id, String title) implements Value {
    /** The value of an ADD invocation: a title whose id the service has not assigned yet. */
    public static Entry title(String title) {
      return new Entry(0, Objects.requireNonNull(title));
    }

    /** The value of a DELETE: only the id. */
    public static Entry id(long id) {
      return new Entry(id, null);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("id", id);
      return title == null ? json : json.put("title", title);
    }

    static Entry fromJson(JsonObject json) {
      return new Entry(json.getLong("id", 0L), json.getString("title"));
    }
  }

  /** The result of a READ: entries in the order the node returned them. */
  public record Entries(List<Entry> entries) implements Value {
    public Entries {
      entries = List.copyOf(entries);
    }

    public static Entries of(Entry... entries) {
      return new Entries(List.of(entries));
    }

    @Override
    public JsonObject toJson() {
      JsonArray array = new JsonArray();
      entries.forEach(e -> array.add(e.toJson()));
      return new JsonObject().put("entries", array);
    }
  }

  public Op {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(f, "f");
    Objects.requireNonNull(list, "list");
    // Catch workload mistakes where they are made, not later as puzzling checker output.
    if (f != F.READ && !(value instanceof Entry)) {
      throw new IllegalArgumentException(f + " needs an Entry value, got " + value);
    }
    if (f == F.READ && type == Type.OK && !(value instanceof Entries)) {
      throw new IllegalArgumentException("an OK READ needs the Entries read, got " + value);
    }
  }

  /** The entry this op carries, or null (a READ). */
  public Entry entry() {
    return value instanceof Entry e ? e : null;
  }

  /** The entries an OK READ returned, else an empty list. */
  public List<Entry> entries() {
    return value instanceof Entries r ? r.entries() : List.of();
  }

  /** One line of the JSON-lines form of a history. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("index", index).put("process", process).put("type", type.name()).put("f", f.name())
        .put("list", list).put("node", node).put("time", time);
    return value == null ? json : json.put("value", value.toJson());
  }

  public static Op fromJson(JsonObject json) {
    return new Op(json.getLong("index"), json.getInteger("process"), Type.valueOf(json.getString("type")),
        F.valueOf(json.getString("f")), json.getString("list"), json.getString("node"), json.getLong("time"),
        Value.fromJson(json.getJsonObject("value")));
  }
}
