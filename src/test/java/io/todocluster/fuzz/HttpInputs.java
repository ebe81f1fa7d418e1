package io.todocluster.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Raw HTTP/1.x requests, from well-formed ones of our routes to garbage: random methods, paths,
 * headers and bodies, broken JSON, huge headers and lines, bad chunking, mutated bytes,
 * pipelines, truncations and random bytes.
 */
final class HttpInputs {

  /**
   * One input. {@code framed}: complete by construction and ending in {@code Connection: close},
   * so the server must answer and close; otherwise the server may rightly wait for more bytes.
   * {@code abandon}: the client closes right after writing (a client that goes away mid-request).
   */
  record Input(String kind, byte[] bytes, boolean framed, boolean abandon) {
  }

  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH",
      "TRACE", "CONNECT", "PROPFIND", "get", "G\u00c9T", "X".repeat(300), ""};
  private static final String[] LISTS = {"alice", "bob", "a.b_c-d", "x".repeat(128), "x".repeat(129), "..",
      "%2e%2e", "%00", "%zz", "a%2Fb", "\u00e9t\u00e9", "%C3%A9", "", "a b", "a;b", "*", "%"};
  private static final String[] IDS = {"1", "2", "3", "0", "-1", "99999999999999999999", "1.5", "abc", "%00",
      "1e3", "0x10", "", "00001", "2147483648"};
  private static final String[] DATES = {"2026-11-22", "2024-02-29", "2023-02-29", "2026-13-01", "26-1-1",
      "", "null", "2026-11-22T00:00:00Z", "%00", "9999-12-31", "0000-01-01"};
  private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
      "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz",
      "multipart/form-data", "application/JSON", "*/*", "application/json; charset=nope", "\u0000", ""};
  private static final String[] JSON_BODIES = {
      "{\"date\":\"2026-11-22\",\"title\":\"Dentist\"}", "{\"title\":\"t\"}", "{\"date\":\"2026-11-22\"}",
      "{}", "[]", "null", "1", "\"x\"", "{\"date\":1,\"title\":2}", "{\"date\":[],\"title\":{}}",
      "{\"date\":\"2026-11-22\",\"title\":\"\"}", "{\"date\":\"2026-11-22\",\"title\":null}",
      "{\"date\":\"2026-11-22\",\"title\":\"" + "t".repeat(1001) + "\"}", "{", "{\"date\":", "{\"a\":1,}",
      "{'date':'2026-11-22'}", "\u0000", "{\"date\":\"2026-11-22\",\"title\":\"\\ud800\"}",
      "{\"date\":\"2026-11-22\",\"title\":\"a\",\"id\":7,\"extra\":true}", "[".repeat(5000),
      "{\"a\":".repeat(2000), "{\"date\":\"2026-11-22\",\"title\":1e999}"};

  /** Versions Vert.x alone would answer with 501 (once the only 5xx the fuzzing found). */
  private static final String[] OTHER_VERSIONS = {"hTTP/1.1", "http/1.0", "HTTP/1.2", "HTTP/2.0", "HTTP/0.9",
      "HTTP/3", "HTTP/1.1.1", "HTTP/11", "PRI/2.0", "HTTP/9.99"};

  /** The bytes HTTP's framing hangs on: a mutation to one of them moves a boundary. */
  private static final String SEPARATORS = "\r\n :\0/?";

  private HttpInputs() {
  }

  static Input next(Random random) {
    int kind = random.nextInt(100);
    if (kind < 20) {
      return new Input("valid", valid(random), true, false);
    } else if (kind < 40) {
      return new Input("request", request(random, true), true, false);
    } else if (kind < 48) {
      return new Input("huge-head", hugeHead(random), true, false);
    } else if (kind < 58) {
      return new Input("random-bytes", randomBytes(random), false, false);
    } else if (kind < 78) {
      return new Input("mutated", mutate(random, request(random, true)), false, false);
    } else if (kind < 86) {
      return new Input("pipelined", pipelined(random), true, false);
    } else if (kind < 92) {
      byte[] whole = request(random, random.nextBoolean());
      byte[] cut = java.util.Arrays.copyOf(whole, random.nextInt(Math.max(1, whole.length)));
      return new Input("truncated", cut, false, true);
    } else {
      return new Input("bad-chunks", badChunks(random), false, false);
    }
  }

  /** A request a client of the contract could send, right or wrong only in its values. */
  static byte[] valid(Random random) {
    String list = random.nextInt(10) == 0 ? LISTS[random.nextInt(LISTS.length)] : "list-" + random.nextInt(5);
    String date = random.nextInt(5) == 0 ? DATES[random.nextInt(DATES.length)] : "2026-11-" + (10 + random.nextInt(20));
    String body = random.nextInt(5) == 0 ? JSON_BODIES[random.nextInt(JSON_BODIES.length)]
        : new io.vertx.core.json.JsonObject().put("date", date).put("title", RandomJson.string(random)).encode();
    String id = random.nextInt(5) == 0 ? IDS[random.nextInt(IDS.length)] : Integer.toString(1 + random.nextInt(10));
    String[] request = switch (random.nextInt(6)) {
      case 0, 1 -> new String[] {"POST", "/api/lists/" + list + "/entries", body};
      case 2 -> new String[] {"PUT", "/api/lists/" + list + "/entries/" + id, body};
      case 3 -> new String[] {"DELETE", "/api/lists/" + list + "/entries/" + id, ""};
      case 4 -> new String[] {"GET", "/api/lists/" + list + "/entries" + (random.nextBoolean() ? "?date=" + date : ""), ""};
      default -> new String[] {"POST", "/add_entry?list=" + list + "&date=" + date + "&title=" + name(random), ""};
    };
    byte[] bytes = request[2].getBytes(StandardCharsets.UTF_8);
    String head = request[0] + " " + request[1] + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n"
        + (random.nextInt(4) == 0 ? "Idempotency-Key: " + name(random) + "\r\n" : "")
        + "Connection: close\r\n\r\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(bytes);
    return out.toByteArray();
  }

  private static String name(Random random) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
    StringBuilder name = new StringBuilder();
    for (int i = 1 + random.nextInt(15); i > 0; i--) {
      name.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return name.toString();
  }

  /** Mostly HTTP/1.1, sometimes 1.0, and now and then a version no server here speaks, or none. */
  private static String version(Random random) {
    int roll = random.nextInt(40);
    if (roll < 2) {
      return "HTTP/1.0";
    } else if (roll == 2) {
      return OTHER_VERSIONS[random.nextInt(OTHER_VERSIONS.length)];
    }
    return "HTTP/1.1";
  }

  /** A request to one of our routes (or near one), with random headers and body. */
  static byte[] request(Random random, boolean close) {
    String method = pick(random, METHODS, 0.7, "GET", "POST", "PUT", "DELETE");
    String target = target(random);
    String version = version(random);
    StringBuilder head = new StringBuilder(method).append(' ').append(target).append(' ').append(version).append("\r\n");
    if (random.nextInt(10) != 0) {
      head.append("Host: 127.0.0.1\r\n");
    }
    if (random.nextInt(3) != 0) {
      head.append("Content-Type: ").append(CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)]).append("\r\n");
    }
    if (random.nextInt(8) == 0) {
      head.append("Idempotency-Key: ").append(token(random, random.nextInt(200))).append("\r\n");
    }
    if (random.nextInt(10) == 0) {
      head.append("Expect: ").append(random.nextBoolean() ? "100-continue" : token(random, 8)).append("\r\n");
    }
    if (random.nextInt(12) == 0) {
      // must not switch this connection to HTTP/2: h2c is off
      head.append("Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n");
    }
    for (int i = random.nextInt(4); i > 0; i--) {
      String name = random.nextInt(10) == 0 ? token(random, 1 + random.nextInt(20)) : "X-" + name(random);
      head.append(name).append(": ").append(value(random)).append("\r\n");
    }
    byte[] body = body(random);
    boolean chunked = random.nextInt(6) == 0;
    if (chunked) {
      head.append("Transfer-Encoding: chunked\r\n");
    } else if (body.length > 0 || random.nextBoolean()) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    if (close) {
      head.append("Connection: close\r\n");
    }
    head.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    out.writeBytes(chunked ? chunk(random, body) : body);
    return out.toByteArray();
  }

  private static String target(Random random) {
    String list = pick(random, LISTS, 0.6, "alice", "bob");
    String id = IDS[random.nextInt(IDS.length)];
    String date = DATES[random.nextInt(DATES.length)];
    return switch (random.nextInt(16)) {
      case 0, 1, 2 -> "/api/lists/" + list + "/entries";
      case 3 -> "/api/lists/" + list + "/entries?date=" + date;
      case 4, 5 -> "/api/lists/" + list + "/entries/" + id;
      case 6 -> "/add_entry?list=" + list + "&date=" + date + "&title=" + token(random, random.nextInt(50));
      case 7 -> "/entries?list=" + list + (random.nextBoolean() ? "&date=" + date : "");
      case 8 -> pick(random, new String[] {"/health", "/ready", "/metrics", "/api/cluster", "/openapi.yaml"}, 1);
      case 9 -> pick(random, new String[] {"/", "/dashboard.js", "/vendor/..%2f..%2fetc%2fpasswd", "/api/dashboard",
          "/api/processes", "/api/nodes/" + token(random, 10) + "/tree", "/eventbus/info"}, 1);
      case 10 -> "/" + path(random);
      case 11 -> "http://127.0.0.1/api/lists/" + list + "/entries";
      case 12 -> "*";
      case 13 -> "/api/lists/" + list + "/entries/" + id + "/" + path(random);
      case 14 -> "/api/lists/" + list + "/entries?" + path(random);
      default -> "127.0.0.1:80";
    };
  }

  private static byte[] body(Random random) {
    return switch (random.nextInt(10)) {
      case 0, 1 -> new byte[0];
      case 2 -> bytes(random, random.nextInt(2000));
      case 3 -> io.vertx.core.json.Json.encode(RandomJson.value(random, 4)).getBytes(StandardCharsets.UTF_8);
      case 4 -> ("a=" + token(random, 20) + "&title=" + token(random, 20)).getBytes(StandardCharsets.UTF_8);
      // just past the contract's 64 KiB
      case 5 -> random.nextInt(8) == 0 ? "x".repeat(64 * 1024 + 1 + random.nextInt(1000)).getBytes(StandardCharsets.UTF_8)
          : JSON_BODIES[random.nextInt(JSON_BODIES.length)].getBytes(StandardCharsets.UTF_8);
      default -> JSON_BODIES[random.nextInt(JSON_BODIES.length)].getBytes(StandardCharsets.UTF_8);
    };
  }

  /** Valid chunked framing of the body, in random pieces. */
  private static byte[] chunk(Random random, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < body.length) {
      int size = Math.min(body.length - at, 1 + random.nextInt(Math.max(1, body.length)));
      out.writeBytes((Integer.toHexString(size) + (random.nextInt(5) == 0 ? ";ext=1" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, at, size);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      at += size;
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static byte[] badChunks(Random random) {
    String head = "POST /api/lists/alice/entries HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    String[] bad = {"zz\r\n{}\r\n0\r\n\r\n", "-1\r\n{}\r\n0\r\n\r\n", "ffffffffffffffff\r\n{}\r\n",
        "2\r\n{}}}}\r\n0\r\n\r\n", "2{}\r\n0\r\n\r\n", "2\r\n{}", "0\r\nX-Trailer: " + "t".repeat(9000) + "\r\n\r\n",
        "7fffffff\r\n{}\r\n", "1;" + "e".repeat(10000) + "\r\n{\r\n0\r\n\r\n", "\r\n\r\n", "2\n{}\n0\n\n"};
    return (head + bad[random.nextInt(bad.length)]).getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] hugeHead(Random random) {
    String head = switch (random.nextInt(4)) {
      case 0 -> "GET /api/lists/" + "a".repeat(4096 + random.nextInt(20_000)) + "/entries HTTP/1.1\r\nHost: x\r\n";
      case 1 -> "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(8192 + random.nextInt(20_000)) + "\r\n";
      case 2 -> "GET /health HTTP/1.1\r\nHost: x\r\n" + "X-Many: 1\r\n".repeat(800 + random.nextInt(3000));
      default -> "GET /health?" + "q=1&".repeat(1000 + random.nextInt(5000)) + " HTTP/1.1\r\nHost: x\r\n";
    };
    return (head + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] pipelined(Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 1 + random.nextInt(3); i > 0; i--) {
      out.writeBytes(request(random, false));
    }
    out.writeBytes(request(random, true));
    return out.toByteArray();
  }

  private static byte[] randomBytes(Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(bytes(random, random.nextInt(3000)));
    out.writeBytes("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static byte[] mutate(Random random, byte[] request) {
    byte[] bytes = request.clone();
    for (int i = 1 + random.nextInt(4); i > 0 && bytes.length > 0; i--) {
      int at = random.nextInt(Math.min(bytes.length, 200));
      bytes[at] = (byte) (random.nextInt(4) == 0 ? SEPARATORS.charAt(random.nextInt(SEPARATORS.length()))
          : random.nextInt(256));
    }
    return bytes;
  }

  private static byte[] bytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  static String token(Random random, int length) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~!$&'()*+,;=:@%";
    StringBuilder token = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      token.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return token.toString();
  }

  private static String value(Random random) {
    StringBuilder value = new StringBuilder();
    for (int i = random.nextInt(60); i > 0; i--) {
      value.append((char) (random.nextInt(3) == 0 ? 0x20 + random.nextInt(0x5f) : random.nextInt(256)));
    }
    return value.toString().replace("\r", "").replace("\n", "");
  }

  private static String path(Random random) {
    StringBuilder path = new StringBuilder();
    for (int i = random.nextInt(6); i >= 0; i--) {
      path.append(token(random, random.nextInt(12))).append(random.nextInt(4) == 0 ? "" : "/");
    }
    return path.toString();
  }

  private static String pick(Random random, String[] all, double common, String... usual) {
    if (usual.length > 0 && random.nextDouble() < common) {
      return usual[random.nextInt(usual.length)];
    }
    return all[random.nextInt(all.length)];
  }
}
