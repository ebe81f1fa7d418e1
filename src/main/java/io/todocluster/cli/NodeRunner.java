package io.todocluster.cli;

import io.todocluster.node.Node;
import io.todocluster.node.NodeConfig;
import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs one node for the life of the JVM: starts it, and on SIGTERM (or Ctrl-C) stops it
 * gracefully, so that it hands its processes off and leaves the cluster before the JVM exits.
 */
final class NodeRunner implements NodeLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(NodeRunner.class);

  /**
   * Kubernetes sends SIGKILL 30 s after SIGTERM by default; a node that has not handed off by
   * then is stuck, and a faster exit is better than being killed mid-way.
   */
  private static final long STOP_TIMEOUT_SECONDS = 25;

  @Override
  public int run(NodeConfig config) {
    LOG.info("starting node {} (role {}, http {}:{}, cluster {}:{}, seeds {})", config.name(),
        config.role(), config.httpHost(), config.httpPort(), config.clusterHost(),
        config.clusterPort(), config.seeds().isEmpty() ? "none" : config.seeds());
    AtomicReference<Future<Node>> current = new AtomicReference<>(Node.start(config));
    // installed before start completes, so a SIGTERM during start still stops the node
    Runtime.getRuntime().addShutdownHook(
        new Thread(() -> stopGracefully(current.get(), config.name()), "todo-cluster-shutdown"));
    exitZeroOnSigterm();
    while (true) {
      Node node;
      try {
        node = current.get().await();
      } catch (Exception e) {
        LOG.error("node {} failed to start", config.name(), e);
        return Main.EXIT_FAILURE;
      }
      LOG.info("node {} started", config.name());
      // as when an OTP application's top supervisor dies: the node cannot go on, so it stops
      node.terminated().onSuccess(reason -> {
        if (reason.isAbnormal()) {
          LOG.error("node {}: the root supervisor exited ({}); stopping the node", config.name(), reason);
          new Thread(() -> System.exit(Main.EXIT_FAILURE), "todo-cluster-exit").start();
        }
      });
      // the main thread waits here for the life of the node; the JVM normally ends in the hook
      awaitRejoin(node);
      current.set(Node.start(config));
    }
  }

  /**
   * Returns once the node must rejoin as a new incarnation and has stopped: abandoning what it
   * holds when it may be stale (frozen too long, see FreezeWatchdog), gracefully otherwise (its
   * store stuck, see StuckTransferWatch).
   */
  private static void awaitRejoin(Node node) {
    try {
      Node.Rejoin why = node.mustRejoin().await();
      LOG.warn("node {} rejoins as a new incarnation: {}", node.config().name(), why.why());
      (why.stateIsStale() ? node.abandon() : node.stop()).await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("node {} did not abandon its state cleanly; exiting", node.config().name(), e);
      Runtime.getRuntime().halt(Main.EXIT_FAILURE);
    }
  }

  private static void stopGracefully(Future<Node> started, String name) {
    if (started.failed()) {
      return; // nothing to stop, and the failure to start is already logged
    }
    LOG.info("node {} stopping", name);
    Future<Void> stopped = started.compose(Node::stop); // waits for a start still under way
    try {
      stopped.await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      LOG.info("node {} stopped", name);
    } catch (Exception e) {
      LOG.error("node {} did not stop cleanly (bound: {} s)", name, STOP_TIMEOUT_SECONDS, e);
      // a failed hand-off must not look like a clean exit to the supervisor of this process
      Runtime.getRuntime().halt(Main.EXIT_FAILURE);
    }
  }

  /**
   * The JVM exits 143 after SIGTERM even when its hooks succeed; the contract says a graceful
   * leave exits 0. Turning SIGTERM into System.exit(0) runs the same hook with status 0.
   */
  private static void exitZeroOnSigterm() {
    try {
      Signal.handle(new Signal("TERM"), signal -> System.exit(0));
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      LOG.warn("cannot handle SIGTERM here; a SIGTERM still stops the node, with exit code 143");
    }
  }
}
