package io.todocluster.todo;

import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one validation of every command, whether it came over HTTP or on {@code todo.commands}:
 * {@code {"op":"add"|"entries"|"update"|"delete", "list":..., ...}}. Returns the command in its
 * normal form or throws a {@link TodoException} (400) naming the problem. Unknown fields are
 * ignored so that newer clients can talk to older nodes.
 */
public final class Commands {

  public static final String ADD = "add";
  public static final String ENTRIES = "entries";
  public static final String UPDATE = "update";
  public static final String DELETE = "delete";
  private static final Set<String> OPS = Set.of(ADD, ENTRIES, UPDATE, DELETE);

  /**
   * Set by a node that routes an {@code entries} command to the list's node: it takes the
   * answer as the bytes of its JSON text, which the list's process encoded once for every reader
   * (see {@link EntriesReply}), instead of a JSON array that each side encodes or parses. A node
   * that does not know the field ignores it and answers a JSON array, which the asking node
   * takes too: a node one version older and one newer serve side by side.
   */
  static final String ENTRIES_AS_TEXT = "entriesAsText";

  /** The contract's limits. */
  public static final Pattern LIST_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  public static final int MAX_TITLE = 1000;
  public static final int MAX_IDEMPOTENCY_KEY = 255;
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private Commands() {
  }

  public static JsonObject validate(JsonObject raw) {
    if (raw == null) {
      throw TodoException.badRequest("a command must be a JSON object");
    }
    String op = string(raw, "op");
    if (op == null || !OPS.contains(op)) {
      throw TodoException.badRequest("op must be one of add, entries, update, delete");
    }
    JsonObject command = new JsonObject().put("op", op).put("list", listName(raw.getValue("list")));
    switch (op) {
      case ADD -> {
        command.put("date", date(raw.getValue("date"), true).toString());
        command.put("title", title(raw.getValue("title"), true));
        String key = idempotencyKey(raw.getValue("idempotencyKey"));
        if (key != null) {
          command.put("idempotencyKey", key);
        }
      }
      case ENTRIES -> {
        LocalDate date = date(raw.getValue("date"), false);
        if (date != null) {
          command.put("date", date.toString());
        }
      }
      case UPDATE -> {
        command.put("id", id(raw.getValue("id")));
        LocalDate date = date(raw.getValue("date"), false);
        String title = title(raw.getValue("title"), false);
        if (date == null && title == null) {
          throw TodoException.badRequest("an update needs a date or a title");
        }
        if (date != null) {
          command.put("date", date.toString());
        }
        if (title != null) {
          command.put("title", title);
        }
      }
      default -> command.put("id", id(raw.getValue("id")));
    }
    return command;
  }

  public static String listName(Object value) {
    if (!(value instanceof String name) || !LIST_NAME.matcher(name).matches()) {
      throw TodoException.badRequest("list must match [A-Za-z0-9._-]{1,128}");
    }
    return name;
  }

  public static LocalDate date(Object value, boolean required) {
    if (value == null) {
      if (required) {
        throw TodoException.badRequest("date is required (YYYY-MM-DD)");
      }
      return null;
    }
    if (!(value instanceof String text) || !DATE.matcher(text).matches()) {
      throw TodoException.badRequest("date must be a calendar date YYYY-MM-DD");
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw TodoException.badRequest("date " + text + " is not a real calendar date");
    }
  }

  public static String title(Object value, boolean required) {
    if (value == null) {
      if (required) {
        throw TodoException.badRequest("title is required");
      }
      return null;
    }
    if (!(value instanceof String title)) {
      throw TodoException.badRequest("title must be a string");
    }
    int length = title.codePointCount(0, title.length());
    if (length < 1 || length > MAX_TITLE) {
      throw TodoException.badRequest("title must be 1 to " + MAX_TITLE + " characters");
    }
    return title;
  }

  public static long id(Object value) {
    long id;
    if (value instanceof Number number && number.doubleValue() == number.longValue()) {
      id = number.longValue();
    } else if (value instanceof String text && text.matches("\\d{1,18}")) {
      id = Long.parseLong(text);
    } else {
      throw TodoException.badRequest("id must be a positive integer");
    }
    if (id < 1) {
      throw TodoException.badRequest("id must be a positive integer");
    }
    return id;
  }

  private static String idempotencyKey(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String key) || key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY
        || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw TodoException.badRequest("Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY + " visible ASCII characters");
    }
    return key;
  }

  private static String string(JsonObject raw, String field) {
    Object value = raw.getValue(field);
    return value instanceof String s ? s : null;
  }
}
