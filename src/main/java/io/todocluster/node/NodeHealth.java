package io.todocluster.node;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's liveness and readiness as named checks (vertx-health-check), for {@code GET /health}
 * and {@code GET /ready}. Liveness says the process runs (its event loop answers); readiness is
 * every condition under which this node serves requests, each one a check of its own so that a
 * 503 names which one failed. A check reads a flag and never throws: a procedure that failed
 * would answer 500, and the contract is 200 or 503.
 */
final class NodeHealth {

  private static final Logger log = LoggerFactory.getLogger(NodeHealth.class);

  private final HealthChecks liveness;
  private final HealthChecks readiness;

  NodeHealth(Vertx vertx) {
    this.liveness = HealthChecks.create(vertx);
    this.readiness = HealthChecks.create(vertx);
  }

  // every check uses vertx-health-check's default timeout (1 s): ours read flags and answer at once

  /** A liveness check that is up while the process runs, with what it says about itself. */
  NodeHealth alive(String name, Supplier<JsonObject> about) {
    liveness.register(name, promise -> promise.complete(Status.OK(about.get())));
    return this;
  }

  /**
   * A readiness check: up while {@code ok} holds; down with {@code why} (and whatever
   * {@code details} add) otherwise.
   */
  NodeHealth ready(String name, BooleanSupplier ok, String why, Supplier<JsonObject> details) {
    readiness.register(name, promise -> {
      try {
        promise.complete(ok.getAsBoolean() ? Status.OK()
            : Status.KO(new JsonObject().put("reason", why).mergeIn(details.get())));
      } catch (RuntimeException error) {
        log.warn("readiness check {} could not be evaluated", name, error);
        promise.complete(Status.KO(new JsonObject().put("reason", "the check failed: " + error.getMessage())));
      }
    });
    return this;
  }

  NodeHealth ready(String name, BooleanSupplier ok, String why) {
    return ready(name, ok, why, JsonObject::new);
  }

  HealthChecks liveness() {
    return liveness;
  }

  HealthChecks readiness() {
    return readiness;
  }
}
