package io.todocluster.bridge;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP event bus bridge for clients outside the cluster (the standard Vert.x frame protocol:
 * a 4-byte big-endian length, then a JSON frame), with the contract's permissions
 * ({@link BridgePermissions}); each client is a {@link BridgeConnection}. A supervised child of
 * the node's root: a bridge that fails is restarted, and undeploying it closes its server and
 * its clients' registrations.
 *
 * <p>It speaks the protocol itself rather than through vertx-tcp-eventbus-bridge, whose frame
 * handling throws on a negative length, an unknown type or a wrongly typed field (each a restart
 * of the bridge, and four in five seconds stopped the node) and buffers any claimed length.
 */
public final class TcpBridge extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(TcpBridge.class);

  private final String host;
  private final int port;
  private NetServer server;

  /** Bound to the cluster host, as the event bus is: it gives the same reach into the cluster. */
  public TcpBridge(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(port))
        .connectHandler(socket -> new BridgeConnection(vertx.eventBus(), socket).start());
    return server.listen()
        .onSuccess(s -> log.info("TCP event bus bridge listens on {}:{}", host, s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }
}
