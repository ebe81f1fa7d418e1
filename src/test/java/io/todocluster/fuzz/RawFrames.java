package io.todocluster.fuzz;

import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes raw bytes to the TCP bridge, then a ping frame, and reads frames until the pong, the
 * bridge closing, or a bound: the pong proves the bridge read past the input and still serves
 * the connection.
 */
final class RawFrames {

  static final byte[] PING = BridgeInputs.frame("{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));

  /** What came back; {@code closed}: the bridge closed (or reset) the connection within the bound. */
  record Exchange(List<JsonObject> frames, boolean ponged, boolean closed, String unreadable) {
  }

  private RawFrames() {
  }

  static Exchange exchange(int port, byte[] input, Duration bound, boolean abandon) throws IOException {
    try (Socket socket = new Socket()) {
      socket.setSoLinger(true, 0);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(input);
        if (!abandon) {
          out.write(PING);
        }
        out.flush();
      } catch (IOException closedWhileWriting) {
        // the bridge may have refused the input and closed: read what it said
      }
      if (abandon) {
        return new Exchange(List.of(), false, false, null);
      }
      return read(socket, bound);
    }
  }

  private static Exchange read(Socket socket, Duration bound) throws IOException {
    long deadline = System.nanoTime() + bound.toNanos();
    DataInputStream in = new DataInputStream(socket.getInputStream());
    List<JsonObject> frames = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return new Exchange(frames, false, false, null);
      }
      socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
      try {
        int length = in.readInt();
        if (length < 0 || length > 1 << 20) {
          return new Exchange(frames, false, false, "a frame length of " + length);
        }
        byte[] json = new byte[length];
        in.readFully(json);
        JsonObject frame;
        try {
          frame = new JsonObject(new String(json, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
          return new Exchange(frames, false, false, new String(json, StandardCharsets.UTF_8));
        }
        frames.add(frame);
        if ("pong".equals(frame.getString("type"))) {
          return new Exchange(frames, true, false, null);
        }
      } catch (SocketTimeoutException boundPassed) {
        return new Exchange(frames, false, false, null);
      } catch (EOFException | java.net.SocketException closed) {
        return new Exchange(frames, false, true, null);
      }
    }
  }
}
