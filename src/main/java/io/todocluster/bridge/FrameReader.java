package io.todocluster.bridge;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * Cuts a connection's bytes into frames of the Vert.x bridge protocol (a 4-byte big-endian
 * length, then that many bytes of JSON) and checks the two things a frame's bytes can get wrong:
 * its length and its JSON. A length out of bounds ends the connection (nothing after it can be
 * framed); a frame that is not a JSON object is refused and reading goes on with the next one.
 */
final class FrameReader implements Handler<Buffer> {

  /**
   * The HTTP API's body limit: a command is no bigger through the bridge. Without a bound a
   * claimed length of 2 GiB would make the bridge buffer whatever follows until memory runs out.
   */
  static final int MAX_FRAME = 64 * 1024;
  private static final int LENGTH_BYTES = 4;

  private final Consumer<JsonObject> frames;
  private final Consumer<String> refused;
  private final Consumer<String> fatal;
  private Buffer pending = Buffer.buffer();
  private boolean broken;

  /**
   * @param frames each frame that is a JSON object, in order
   * @param refused why a frame was not one (its connection goes on)
   * @param fatal why the stream cannot be framed any more (its connection must close)
   */
  FrameReader(Consumer<JsonObject> frames, Consumer<String> refused, Consumer<String> fatal) {
    this.frames = frames;
    this.refused = refused;
    this.fatal = fatal;
  }

  @Override
  public void handle(Buffer bytes) {
    if (broken) {
      return;
    }
    pending.appendBuffer(bytes);
    while (pending.length() >= LENGTH_BYTES) {
      int length = pending.getInt(0);
      if (length < 0 || length > MAX_FRAME) {
        broken = true;
        pending = Buffer.buffer();
        fatal.accept("frame_too_large: a frame holds 0.." + MAX_FRAME + " bytes, this one claims " + length);
        return;
      }
      if (pending.length() < LENGTH_BYTES + length) {
        return;
      }
      String json = pending.getString(LENGTH_BYTES, LENGTH_BYTES + length, "UTF-8");
      pending = pending.getBuffer(LENGTH_BYTES + length, pending.length());
      decode(json);
    }
  }

  private void decode(String json) {
    Object value;
    try {
      value = Json.decodeValue(json);
    } catch (DecodeException e) {
      refused.accept("invalid_json");
      return;
    }
    if (value instanceof JsonObject frame) {
      frames.accept(frame);
    } else {
      refused.accept("invalid_json: a frame is a JSON object");
    }
  }
}
