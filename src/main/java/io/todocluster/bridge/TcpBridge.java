package io.todocluster.bridge;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP event bus bridge for clients outside the cluster (the standard Vert.x frame protocol:
 * a 4-byte big-endian length, then a JSON frame), with the contract's permissions
 * ({@link BridgePermissions}). A supervised child of the node's root: a bridge that fails is
 * restarted, and undeploying it closes its server and its clients' registrations.
 */
public final class TcpBridge extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(TcpBridge.class);

  private final String host;
  private final int port;
  private TcpEventBusBridge bridge;

  /** Bound to the cluster host, as the event bus is: it gives the same reach into the cluster. */
  public TcpBridge(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    bridge = TcpEventBusBridge.create(vertx, BridgePermissions.options(), new NetServerOptions(),
        BridgePermissions::refusePublish);
    return bridge.listen(port, host)
        .onSuccess(b -> log.info("TCP event bus bridge listens on {}:{}", host, port));
  }

  @Override
  public Future<?> stop() {
    return bridge.close();
  }
}
