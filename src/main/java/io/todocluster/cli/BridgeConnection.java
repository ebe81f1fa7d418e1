package io.todocluster.cli;

import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * A blocking connection to a node's TCP bridge. The command-line tools are short-lived clients
 * with nothing else to do while they wait, so a plain socket is all they need (no event loop).
 */
final class BridgeConnection implements Closeable {

  /** A node that does not accept a connection within this is down or not listening. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  private BridgeConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
  }

  /** @param readTimeout how long one {@link #read} may wait (a SocketTimeoutException after) */
  static BridgeConnection open(HostPort bridge, Duration readTimeout) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(bridge.host(), bridge.port()), (int) CONNECT_TIMEOUT.toMillis());
      socket.setSoTimeout((int) readTimeout.toMillis());
      return new BridgeConnection(socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  void write(JsonObject frame) throws IOException {
    BridgeFrames.write(out, frame);
  }

  JsonObject read() throws IOException {
    return BridgeFrames.read(in);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
