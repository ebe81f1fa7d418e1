package io.todocluster.todo;

import io.vertx.core.json.JsonObject;
import java.time.LocalDate;

/** One to-do entry; its id is given by its list and never reused. */
public record Entry(long id, LocalDate date, String title) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("date", date.toString()).put("title", title);
  }

  public static Entry fromJson(JsonObject json) {
    return new Entry(json.getLong("id"), LocalDate.parse(json.getString("date")), json.getString("title"));
  }

  /** The line the book's {@code GET /entries} prints for an entry. */
  public String toBookLine() {
    return bookLine(date.toString(), title);
  }

  /** The same line from an entry's JSON fields (its date as {@link LocalDate#toString()} writes it), without parsing them. */
  static String bookLine(String date, String title) {
    return date + " " + title;
  }
}
