package io.todocluster.fuzz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Random;

/** Random JSON values of every type and shape, and commands that look almost right. */
final class RandomJson {

  private static final String[] OPS = {"add", "entries", "update", "delete", "ADD", "", "drop", "add "};
  private static final String[] FIELDS = {"op", "list", "date", "title", "id", "idempotencyKey", "entry", "",
      "__proto__", "type"};

  private RandomJson() {
  }

  /** Any JSON value, nested at most {@code depth} deep. */
  static Object value(Random random, int depth) {
    int kind = random.nextInt(depth > 0 ? 10 : 7);
    return switch (kind) {
      case 0 -> null;
      case 1 -> random.nextBoolean();
      case 2 -> random.nextInt();
      case 3 -> random.nextLong();
      case 4 -> random.nextInt(4) == 0 ? Double.MAX_VALUE : random.nextDouble() * 1e6 - 5e5;
      case 5 -> string(random);
      case 6 -> random.nextInt(50);
      case 7 -> array(random, depth - 1);
      default -> object(random, depth - 1);
    };
  }

  static JsonObject object(Random random, int depth) {
    JsonObject object = new JsonObject();
    for (int i = random.nextInt(6); i > 0; i--) {
      String key = random.nextInt(3) == 0 ? HttpInputs.token(random, random.nextInt(10)) : FIELDS[random.nextInt(FIELDS.length)];
      object.put(key, value(random, depth));
    }
    return object;
  }

  static JsonArray array(Random random, int depth) {
    JsonArray array = new JsonArray();
    for (int i = random.nextInt(5); i > 0; i--) {
      array.add(value(random, depth));
    }
    return array;
  }

  /** A command to {@code todo.commands}: mostly the right fields, with wrong types and values among them. */
  static JsonObject command(Random random) {
    JsonObject command = new JsonObject();
    command.put("op", random.nextInt(5) == 0 ? value(random, 1) : OPS[random.nextInt(OPS.length)]);
    command.put("list", random.nextInt(5) == 0 ? value(random, 1) : random.nextInt(4) == 0 ? string(random)
        : "fuzz-" + random.nextInt(20));
    if (random.nextBoolean()) {
      command.put("date", random.nextInt(3) == 0 ? value(random, 1) : "2026-11-" + (10 + random.nextInt(25)));
    }
    if (random.nextBoolean()) {
      command.put("title", random.nextInt(3) == 0 ? value(random, 1) : random.nextInt(10) == 0 ? "t".repeat(1001)
          : string(random));
    }
    if (random.nextBoolean()) {
      command.put("id", random.nextInt(3) == 0 ? value(random, 1) : random.nextInt(10) - 2);
    }
    if (random.nextInt(6) == 0) {
      command.put("idempotencyKey", value(random, 1));
    }
    for (int i = random.nextInt(3); i > 0; i--) {
      command.put(HttpInputs.token(random, 1 + random.nextInt(8)), value(random, 2));
    }
    return command;
  }

  static String string(Random random) {
    int length = random.nextInt(10) == 0 ? random.nextInt(3000) : random.nextInt(20);
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int c = random.nextInt(5) == 0 ? random.nextInt(0x10000) : 0x20 + random.nextInt(0x5f);
      text.append((char) c);
    }
    return text.toString();
  }
}
