package io.todocluster.fuzz;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * TCP bridge inputs: frames (a 4-byte big-endian length, then JSON) with random types,
 * addresses, reply addresses, headers and bodies; lengths that lie; JSON that is not an object
 * or not JSON; random bytes; truncations.
 */
final class BridgeInputs {

  /** The bridge's frame limit (bridge.FrameReader): longer claims must be refused, not awaited. */
  static final int MAX_FRAME = 64 * 1024;

  /**
   * {@code framed}: the bridge has every byte of every frame (or a length it must refuse), so it
   * must answer the ping that follows or close; otherwise it may rightly wait for more bytes.
   */
  record Input(String kind, byte[] bytes, boolean framed, boolean abandon) {
  }

  private static final String[] TYPES = {"send", "send", "send", "publish", "register", "unregister", "ping",
      "message", "err", "SEND", "", "pong"};
  private static final String[] ADDRESSES = {"todo.commands", "todo.commands", "todo.events.fuzz-1",
      "cluster.events", "supervisor.events", "todo.events.", "todo.events.fuzz-1.x", "", "__vertx.reply.1",
      "node.commands.x"};

  private BridgeInputs() {
  }

  static Input next(Random random) {
    int kind = random.nextInt(100);
    if (kind < 50) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int i = 1 + random.nextInt(3); i > 0; i--) {
        out.writeBytes(frame(Json.encode(frameJson(random)).getBytes(StandardCharsets.UTF_8)));
      }
      return new Input("frames", out.toByteArray(), true, false);
    } else if (kind < 62) {
      String[] bad = {"{", "[]", "[1,2]", "\"send\"", "1", "null", "true", "{\"type\":", "{'type':'ping'}", "",
          "{\"type\":\"ping\"}}", "\u0000", "{\"a\":" .repeat(1000)};
      byte[] json = random.nextInt(4) == 0 ? bytes(random, random.nextInt(500))
          : bad[random.nextInt(bad.length)].getBytes(StandardCharsets.UTF_8);
      return new Input("bad-json", frame(json), true, false);
    } else if (kind < 74) {
      int[] lengths = {-1, Integer.MIN_VALUE, -4, MAX_FRAME + 1, Integer.MAX_VALUE, 1 << 30, 0};
      int length = lengths[random.nextInt(lengths.length)];
      byte[] tail = bytes(random, random.nextInt(50));
      return new Input("bad-length", ByteBuffer.allocate(4 + tail.length).putInt(length).put(tail).array(), true, false);
    } else if (kind < 80) {
      byte[] json = Json.encode(frameJson(random)).getBytes(StandardCharsets.UTF_8);
      int length = random.nextBoolean() ? json.length + 1 + random.nextInt(100) : random.nextInt(Math.max(1, json.length));
      return new Input("lying-length", ByteBuffer.allocate(4 + json.length).putInt(length).put(json).array(), false, false);
    } else if (kind < 90) {
      return new Input("random-bytes", bytes(random, random.nextInt(2000)), false, false);
    } else {
      byte[] whole = frame(Json.encode(frameJson(random)).getBytes(StandardCharsets.UTF_8));
      return new Input("truncated", java.util.Arrays.copyOf(whole, random.nextInt(whole.length)), false, true);
    }
  }

  static byte[] frame(byte[] json) {
    return ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array();
  }

  static JsonObject frameJson(Random random) {
    JsonObject frame = new JsonObject();
    if (random.nextInt(12) != 0) {
      frame.put("type", random.nextInt(10) == 0 ? RandomJson.value(random, 1) : TYPES[random.nextInt(TYPES.length)]);
    }
    if (random.nextInt(12) != 0) {
      frame.put("address", random.nextInt(10) == 0 ? RandomJson.value(random, 1)
          : random.nextInt(10) == 0 ? RandomJson.string(random) : ADDRESSES[random.nextInt(ADDRESSES.length)]);
    }
    if (random.nextInt(3) != 0) {
      frame.put("replyAddress", random.nextInt(10) == 0 ? RandomJson.value(random, 1) : "r-" + random.nextInt(1000));
    }
    if (random.nextInt(8) != 0) {
      frame.put("body", random.nextInt(3) != 0 ? RandomJson.command(random) : RandomJson.value(random, 3));
    }
    if (random.nextInt(4) == 0) {
      frame.put("headers", random.nextInt(5) == 0 ? RandomJson.value(random, 1) : headers(random));
    }
    if (random.nextInt(10) == 0) {
      frame.put("failureCode", RandomJson.value(random, 0));
      frame.put("message", RandomJson.value(random, 0));
    }
    return frame;
  }

  private static JsonObject headers(Random random) {
    JsonObject headers = new JsonObject();
    String[] names = {"timeout", "localOnly", "codecName", "x-any", ""};
    for (int i = random.nextInt(4); i > 0; i--) {
      String name = names[random.nextInt(names.length)];
      Object value = switch (name) {
        case "timeout" -> random.nextBoolean() ? (Object) (long) (random.nextInt(3000) - 5) : RandomJson.value(random, 0);
        case "codecName" -> random.nextBoolean() ? "no-such-codec" : RandomJson.value(random, 0);
        default -> RandomJson.value(random, 0);
      };
      headers.put(name, value);
    }
    return headers;
  }

  private static byte[] bytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }
}
