package io.todocluster.bridge;

import io.todocluster.todo.TodoService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of the TCP bridge: the Vert.x bridge protocol's frames ({@code send},
 * {@code publish}, {@code register}, {@code unregister}, {@code ping}) within
 * {@link BridgePermissions}. Every field of a frame is checked before it is used: a frame that
 * is wrong gets an {@code err} frame and the connection goes on; only a length that cannot be
 * framed closes it. Nothing a client sends can fail the bridge for its other clients (Vert.x's
 * own bridge throws on an unknown type or a wrongly typed field, which restarts the bridge and
 * drops every client).
 */
final class BridgeConnection {

  private static final Logger log = LoggerFactory.getLogger(BridgeConnection.class);

  /** The CLI's watch registers one address, a dashboard a few: this bounds what one client costs the cluster. */
  static final int MAX_REGISTRATIONS = 64;
  /** A command's own deadline plus 5 s, as for the commands endpoint: the service answers first. */
  private static final long MAX_TIMEOUT_MS = TodoService.ROUTING_DEADLINE.plusSeconds(5).toMillis();
  /** The bodies the event bus has a codec for (JSON's types); a number beyond a long has none. */
  private static final Set<Class<?>> BODY_TYPES = Set.of(JsonObject.class, JsonArray.class, String.class,
      Integer.class, Long.class, Double.class, Float.class, Boolean.class);

  private final EventBus bus;
  private final NetSocket socket;
  private final Map<String, MessageConsumer<Object>> registrations = new HashMap<>();

  BridgeConnection(EventBus bus, NetSocket socket) {
    this.bus = bus;
    this.socket = socket;
  }

  void start() {
    socket.handler(new FrameReader(this::handle, this::refuse, this::refuseAndClose));
    socket.closeHandler(v -> unregisterAll());
    socket.exceptionHandler(error -> {
      log.debug("bridge client {}: {}", socket.remoteAddress(), error.toString());
      socket.close();
    });
  }

  private void handle(JsonObject frame) {
    try {
      dispatch(frame);
    } catch (RuntimeException e) {
      // a bug of ours, not the client's: said once here, and only this frame fails
      log.warn("bridge client {}: frame not handled", socket.remoteAddress(), e);
      refuse("invalid_frame");
    }
  }

  private void dispatch(JsonObject frame) {
    if (!(frame.getValue("type") instanceof String type)) {
      refuse("invalid_frame: type must be a string");
      return;
    }
    if (type.equals("ping")) {
      write(new JsonObject().put("type", "pong"));
      return;
    }
    Object address = frame.getValue("address");
    if (address == null) {
      refuse("missing_address");
      return;
    }
    if (!(address instanceof String to)) {
      refuse("invalid_frame: address must be a string");
      return;
    }
    switch (type) {
      case "send" -> send(to, frame);
      case "publish" -> refuse(BridgePermissions.PUBLISH_REFUSED);
      case "register" -> register(to);
      case "unregister" -> unregister(to);
      default -> refuse("unknown_type");
    }
  }

  private void send(String address, JsonObject frame) {
    if (!BridgePermissions.inbound(address)) {
      refuse(BridgePermissions.ACCESS_DENIED);
      return;
    }
    Object body = frame.getValue("body");
    Object replyAddress = frame.getValue("replyAddress");
    DeliveryOptions options = deliveryOptions(frame.getValue("headers"));
    if (options == null) {
      return;
    }
    if (body != null && !BODY_TYPES.contains(body.getClass())) {
      refuse("invalid_frame: body must be a JSON value the event bus carries");
    } else if (replyAddress == null) {
      bus.send(address, body, options);
    } else if (replyAddress instanceof String replyTo) {
      bus.request(address, body, options).onComplete(ar -> {
        if (ar.succeeded()) {
          reply(replyTo, ar.result());
        } else {
          failed(address, replyTo, ar.cause());
        }
      });
    } else {
      refuse("invalid_frame: replyAddress must be a string");
    }
  }

  /** The protocol's headers: {@code timeout} in ms, and string headers passed along; null after refusing. */
  private DeliveryOptions deliveryOptions(Object headers) {
    DeliveryOptions options = new DeliveryOptions();
    if (headers == null) {
      return options;
    }
    if (!(headers instanceof JsonObject given)) {
      refuse("invalid_frame: headers must be an object");
      return null;
    }
    for (String name : given.fieldNames()) {
      Object value = given.getValue(name);
      if (name.equals("timeout")) {
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() <= 0) {
          refuse("invalid_frame: timeout must be a positive number of ms");
          return null;
        }
        options.setSendTimeout(Math.min(((Number) value).longValue(), MAX_TIMEOUT_MS));
      } else if (value instanceof String text) {
        options.addHeader(name, text);
      } else {
        refuse("invalid_frame: header " + name + " must be a string");
        return null;
      }
    }
    return options;
  }

  private void reply(String replyAddress, Message<Object> reply) {
    JsonObject headers = new JsonObject();
    reply.headers().forEach(header -> headers.put(header.getKey(), header.getValue()));
    JsonObject frame = new JsonObject().put("type", "message").put("address", replyAddress).put("headers", headers)
        .put("send", true);
    if (reply.body() != null) {
      frame.put("body", reply.body());
    }
    write(frame);
  }

  private void failed(String address, String replyAddress, Throwable failure) {
    JsonObject frame = new JsonObject().put("type", "err").put("address", replyAddress).put("sourceAddress", address);
    if (failure instanceof ReplyException e) {
      frame.put("failureCode", e.failureCode()).put("failureType", e.failureType().name());
    }
    write(frame.put("message", failure.getMessage()));
  }

  private void register(String address) {
    if (!BridgePermissions.outbound(address)) {
      refuse(BridgePermissions.ACCESS_DENIED);
      return;
    }
    if (registrations.containsKey(address)) {
      return; // registered already: one delivery per message, as before
    }
    if (registrations.size() >= MAX_REGISTRATIONS) {
      refuse("too_many_registrations: at most " + MAX_REGISTRATIONS + " addresses per connection");
      return;
    }
    registrations.put(address, bus.consumer(address, message -> {
      JsonObject frame = new JsonObject().put("type", "message").put("address", message.address())
          .put("headers", new JsonObject()).put("send", message.isSend());
      if (message.body() != null) {
        frame.put("body", message.body());
      }
      write(frame);
    }));
  }

  private void unregister(String address) {
    if (!BridgePermissions.outbound(address)) {
      refuse(BridgePermissions.ACCESS_DENIED);
      return;
    }
    MessageConsumer<Object> consumer = registrations.remove(address);
    if (consumer == null) {
      refuse("unknown_address");
    } else {
      consumer.unregister();
    }
  }

  private void unregisterAll() {
    registrations.values().forEach(MessageConsumer::unregister);
    registrations.clear();
  }

  private void refuse(String message) {
    write(new JsonObject().put("type", "err").put("message", message));
  }

  private void refuseAndClose(String message) {
    log.debug("bridge client {}: {}; closing", socket.remoteAddress(), message);
    refuse(message);
    socket.close();
  }

  private void write(JsonObject frame) {
    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    socket.write(Buffer.buffer(json.length + 4).appendInt(json.length).appendBytes(json));
    if (socket.writeQueueFull()) {
      // a client that sends but does not read: stop reading its requests until it has read our answers
      socket.pause();
      socket.drainHandler(v -> socket.resume());
    }
  }
}
