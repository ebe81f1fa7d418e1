package io.todocluster.http;

import io.todocluster.metrics.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

/**
 * What operators ask a node: {@code /health} (liveness: 200 while the process runs),
 * {@code /ready} (readiness: 200 only while every readiness check is up, else 503 with the
 * checks, the failed ones named in {@code data.failed}) and {@code /metrics} (Prometheus text).
 * The health bodies are vertx-health-check's:
 * {@code {"status":"DOWN","data":{"failed":[...]},"checks":[{"id":...,"status":...,"data":...}],"outcome":"DOWN"}}.
 */
public final class OperationsRoutes {

  private final HealthCheckHandler liveness;
  private final HealthCheckHandler readiness;
  private final NodeMetrics metrics;

  public OperationsRoutes(HealthChecks liveness, HealthChecks readiness, NodeMetrics metrics) {
    this.liveness = HealthCheckHandler.createWithHealthChecks(liveness).resultMapper(OperationsRoutes::nameFailed);
    this.readiness = HealthCheckHandler.createWithHealthChecks(readiness).resultMapper(OperationsRoutes::nameFailed);
    this.metrics = metrics;
  }

  void handleHealth(RoutingContext ctx) {
    liveness.handle(ctx);
  }

  void handleReady(RoutingContext ctx) {
    readiness.handle(ctx);
  }

  /** Rendering reads the JVM's MXBeans (thread states, GC): done on a worker, not on the event loop. */
  void handleMetrics(RoutingContext ctx) {
    ctx.vertx().executeBlocking(metrics::scrape, false).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().putHeader("Content-Type", NodeMetrics.CONTENT_TYPE).end(ar.result());
      } else {
        Errors.send(ctx, ar.cause());
      }
    });
  }

  /** A down result says at its top which checks are down, so that a reader need not walk the list. */
  private static Future<CheckResult> nameFailed(CheckResult result) {
    if (CheckResult.isUp(result) || result.getChecks() == null) {
      return Future.succeededFuture(result);
    }
    JsonArray failed = new JsonArray();
    result.getChecks().stream().filter(check -> !CheckResult.isUp(check)).forEach(check -> failed.add(check.getId()));
    return Future.succeededFuture(result.setStatus(Status.KO(new JsonObject().put("failed", failed))));
  }
}
