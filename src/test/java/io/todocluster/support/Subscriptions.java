package io.todocluster.support;

import io.todocluster.node.Node;
import io.vertx.core.Promise;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A consumer registered on one node (a bridge client's, say) reaches the others through the
 * cluster manager, a little later: a publish sent before then is not delivered to it. Tests that
 * publish to a fresh consumer first wait until every node sees it.
 */
public final class Subscriptions {

  private Subscriptions() {
  }

  public static void awaitVisible(List<Node> nodes, String address) throws InterruptedException {
    TestCluster.await("every node sees a consumer of " + address,
        () -> nodes.stream().allMatch(node -> hasConsumer(node, address)));
  }

  private static boolean hasConsumer(Node node, String address) {
    ClusterManager clusterManager = ((VertxInternal) node.vertx()).clusterManager();
    Promise<List<RegistrationInfo>> registrations = Promise.promise();
    clusterManager.getRegistrations(address, registrations);
    try {
      return !registrations.future().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).isEmpty();
    } catch (Exception notYet) {
      return false;
    }
  }
}
