package io.todocluster.bridge;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A raw client of the TCP bridge for tests, written from the frame format (a 4-byte big-endian
 * length, then JSON) rather than with the CLI's codec, so that the two check each other.
 * It keeps every frame it received; {@link #frame} finds the first that matches.
 */
final class FrameClient {

  /** Held for as long as the socket: Vert.x closes a client nobody references any more, and its sockets with it. */
  private final NetClient client;
  private final NetSocket socket;
  private final List<JsonObject> received = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();

  private record Waiter(Predicate<JsonObject> matching, Promise<JsonObject> promise) {
  }

  private FrameClient(NetClient client, NetSocket socket) {
    this.client = client;
    this.socket = socket;
    RecordParser parser = RecordParser.newFixed(4);
    boolean[] expectLength = {true};
    parser.handler(chunk -> {
      expectLength[0] = !expectLength[0];
      if (!expectLength[0]) {
        parser.fixedSizeMode(chunk.getInt(0));
      } else {
        parser.fixedSizeMode(4);
        arrived(new JsonObject(chunk.toString()));
      }
    });
    socket.handler(parser);
  }

  static Future<FrameClient> connect(Vertx vertx, int port) {
    NetClient client = vertx.createNetClient();
    return client.connect(port, "127.0.0.1").map(socket -> new FrameClient(client, socket));
  }

  FrameClient write(JsonObject frame) {
    Buffer json = frame.toBuffer();
    socket.write(Buffer.buffer().appendInt(json.length()).appendBuffer(json));
    return this;
  }

  /** The first frame received (or still to come) that matches. */
  synchronized Future<JsonObject> frame(Predicate<JsonObject> matching) {
    for (JsonObject frame : received) {
      if (matching.test(frame)) {
        return Future.succeededFuture(frame);
      }
    }
    Promise<JsonObject> promise = Promise.promise();
    waiters.add(new Waiter(matching, promise));
    return promise.future();
  }

  synchronized List<JsonObject> received() {
    return List.copyOf(received);
  }

  private void arrived(JsonObject frame) {
    List<Waiter> served = new ArrayList<>();
    synchronized (this) {
      received.add(frame);
      waiters.stream().filter(w -> w.matching().test(frame)).forEach(served::add);
      waiters.removeAll(served);
    }
    // completing runs the waiter's continuation, which may ask for the next frame: not under the lock
    served.forEach(w -> w.promise().complete(frame));
  }

  static Predicate<JsonObject> ofType(String type) {
    return frame -> type.equals(frame.getString("type"));
  }

  static Predicate<JsonObject> addressedTo(String address) {
    return frame -> address.equals(frame.getString("address"));
  }

  static JsonObject send(String address, String replyAddress, JsonObject body) {
    return new JsonObject().put("type", "send").put("address", address).put("replyAddress", replyAddress).put("body", body);
  }

  static JsonObject publish(String address, JsonObject body) {
    return new JsonObject().put("type", "publish").put("address", address).put("body", body);
  }

  static JsonObject register(String address) {
    return new JsonObject().put("type", "register").put("address", address);
  }

  static JsonObject ping() {
    return new JsonObject().put("type", "ping");
  }
}
