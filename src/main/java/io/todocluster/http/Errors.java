package io.todocluster.http;

import io.todocluster.todo.TodoException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapping from failures to HTTP statuses and {@code {"error": ...}} bodies. Bodies name
 * the problem for the client and never carry stack traces or internal class names; unexpected
 * failures are logged here, once, with their cause.
 */
final class Errors {

  private static final Logger log = LoggerFactory.getLogger(Errors.class);

  private Errors() {
  }

  static void send(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", message).encode());
  }

  static void send(RoutingContext ctx, Throwable failure) {
    if (failure instanceof TodoException e) {
      send(ctx, e.status(), e.getMessage());
    } else if (failure instanceof DecodeException) {
      send(ctx, 400, "the body is not valid JSON");
    } else {
      log.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
      send(ctx, 503, "the request could not be served now; retry");
    }
  }

  /** The router's own failures (no route, wrong method, body too large, ...), by status. */
  static void byStatus(RoutingContext ctx) {
    int status = ctx.statusCode();
    if (ctx.failure() != null && !(ctx.failure() instanceof io.vertx.ext.web.handler.HttpException)) {
      send(ctx, ctx.failure());
      return;
    }
    switch (status) {
      case 400 -> send(ctx, 400, "bad request");
      case 404 -> send(ctx, 404, "no such route: " + ctx.request().method() + " " + ctx.request().path());
      case 405 -> send(ctx, 405, "method " + ctx.request().method() + " is not allowed on " + ctx.request().path());
      case 413 -> send(ctx, 413, "the body is larger than 64 KiB");
      case 415 -> send(ctx, 415, "the body must be application/json");
      default -> {
        log.error("{} {} failed with {}", ctx.request().method(), ctx.request().path(), status, ctx.failure());
        send(ctx, 503, "the request could not be served now; retry");
      }
    }
  }
}
