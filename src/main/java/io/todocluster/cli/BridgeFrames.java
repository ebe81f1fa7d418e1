package io.todocluster.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * The frame protocol of Vert.x's TCP event bus bridge, for the command-line clients: each frame
 * is a 4-byte big-endian length and that many bytes of UTF-8 JSON. Clients send
 * {@code send}/{@code register}/{@code ping} frames; the bridge answers {@code message} frames
 * (a reply carries the client's reply address as its {@code address}), {@code pong}, and
 * {@code err} frames: a failed request has {@code address}, {@code failureCode} and
 * {@code message}; a refused frame has only {@code message} ({@code access_denied}).
 */
final class BridgeFrames {

  /** A frame larger than this is not one of ours: a whole list's entries fit many times over. */
  static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

  static final String SEND = "send";
  static final String REGISTER = "register";
  static final String PING = "ping";
  static final String MESSAGE = "message";
  static final String PONG = "pong";
  static final String ERR = "err";

  private BridgeFrames() {
  }

  static JsonObject send(String address, String replyAddress, Object body) {
    return new JsonObject().put("type", SEND).put("address", address).put("replyAddress", replyAddress).put("body", body);
  }

  static JsonObject register(String address) {
    return new JsonObject().put("type", REGISTER).put("address", address);
  }

  static JsonObject ping() {
    return new JsonObject().put("type", PING);
  }

  static boolean is(String type, JsonObject frame) {
    return type.equals(frame.getString("type"));
  }

  /** The one-line explanation of an {@code err} frame. */
  static String errorText(JsonObject frame) {
    String message = frame.getString("message", "error");
    Integer code = frame.getInteger("failureCode");
    return code == null ? message : message + " (failure code " + code + ")";
  }

  static void write(DataOutputStream out, JsonObject frame) throws IOException {
    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    out.writeInt(json.length);
    out.write(json);
    out.flush();
  }

  /**
   * Blocks until a whole frame arrived; an EOFException when the bridge closed the connection. A
   * read timeout before the frame's first byte is a SocketTimeoutException (nothing was consumed:
   * the caller may wait again); one in the middle of a frame is a plain IOException, since the
   * rest of the stream can no longer be read in step.
   */
  static JsonObject read(DataInputStream in) throws IOException {
    int first = in.read();
    if (first < 0) {
      throw new EOFException("the bridge closed the connection");
    }
    byte[] json;
    try {
      int length = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedShort());
      if (length < 0 || length > MAX_FRAME_BYTES) {
        throw new IOException("not a bridge frame (length " + length + ")");
      }
      json = new byte[length];
      in.readFully(json);
    } catch (SocketTimeoutException e) {
      throw new IOException("the bridge stopped in the middle of a frame", e);
    }
    try {
      return new JsonObject(new String(json, StandardCharsets.UTF_8));
    } catch (DecodeException e) {
      throw new IOException("a bridge frame that is not a JSON object", e);
    }
  }
}
