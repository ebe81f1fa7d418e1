package io.todocluster.http;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.todocluster.todo.TodoException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
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

  /**
   * Makes this class answer every failure the router raises: each 4xx and 5xx, and 200, the
   * status BodyHandler fails with when the request stream broke (its client went away).
   */
  static void handleEveryStatus(Router router) {
    router.errorHandler(200, Errors::byStatus);
    for (int status = 400; status < 600; status++) {
      router.errorHandler(status, Errors::byStatus);
    }
  }

  static void send(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", message).encode());
  }

  /** The same body for a request answered before it reaches the router; its connection then closes. */
  static void send(HttpServerRequest request, int status, String message) {
    request.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Connection", "close")
        .end(new JsonObject().put("error", message).encode());
  }

  static void send(RoutingContext ctx, Throwable failure) {
    if (failure instanceof TodoException e) {
      send(ctx, e.status(), e.getMessage());
    } else if (failure instanceof DecodeException) {
      send(ctx, 400, "the body is not valid JSON");
    } else if (failure instanceof DecoderException) {
      send(ctx, 400, "the request is not valid HTTP");
    } else if (failure instanceof HttpClosedException || ctx.response().closed()) {
      // the client went away: there is no one to answer, and nothing went wrong here
      log.debug("{} {}: the connection closed before the answer", ctx.request().method(), ctx.request().path());
    } else {
      log.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
      send(ctx, 503, "the request could not be served now; retry");
    }
  }

  /**
   * The router's own failures (no route, wrong method, body too large, ...), by status. A 4xx is
   * the client's mistake whatever exception came with it (BodyHandler fails a broken chunked body
   * with 400 and the decoder's exception); any other failure with an exception is mapped by it.
   */
  static void byStatus(RoutingContext ctx) {
    int status = ctx.statusCode();
    if (status == -1) {
      // vertx-web failed while matching the routes, which are fixed: the request's path (say a
      // bad %-escape) is what broke it; it passes neither the exception nor a status along
      send(ctx, 400, "the request's path is not valid");
      return;
    }
    if (status == 200 && ctx.failure() != null) {
      // BodyHandler's code for a request stream that broke: the decoder refused the client's bytes
      // (a bad chunk size, say) or the client reset the connection; the client's doing either way
      log.debug("{} {}: the request stream broke", ctx.request().method(), ctx.request().path(), ctx.failure());
      send(ctx, 400, "the request is not valid HTTP");
      return;
    }
    boolean clientError = status >= 400 && status < 500;
    if (!clientError && ctx.failure() != null
        && !(ctx.failure() instanceof io.vertx.ext.web.handler.HttpException)) {
      send(ctx, ctx.failure());
      return;
    }
    switch (status) {
      case 400 -> send(ctx, 400, "bad request");
      case 404 -> send(ctx, 404, "no such route: " + ctx.request().method() + " " + ctx.request().path());
      case 405 -> send(ctx, 405, "method " + ctx.request().method() + " is not allowed on " + ctx.request().path());
      case 413 -> send(ctx, 413, "the body is larger than 64 KiB");
      case 415 -> send(ctx, 415, "the body must be application/json");
      case EdgeLimits.TIMEOUT_STATUS -> timedOut(ctx);
      default -> {
        if (clientError) {
          send(ctx, status, HttpResponseStatus.valueOf(status).reasonPhrase().toLowerCase(Locale.ROOT));
          return;
        }
        log.error("{} {} failed with {}", ctx.request().method(), ctx.request().path(), status, ctx.failure());
        send(ctx, 503, "the request could not be served now; retry");
      }
    }
  }

  /**
   * The request timeout fired. If the client had not even finished sending its request, the wait
   * was its own doing: 408. Otherwise this node was too slow: 503, which a client may retry.
   */
  private static void timedOut(RoutingContext ctx) {
    long seconds = EdgeLimits.REQUEST_TIMEOUT.toSeconds();
    if (!ctx.request().isEnded()) {
      send(ctx, 408, "the request was not received within " + seconds + " s");
      // the rest of its body may never come: the connection cannot carry another request
      ctx.request().connection().close();
    } else {
      log.warn("{} {} was not answered within {} s", ctx.request().method(), ctx.request().path(), seconds);
      send(ctx, EdgeLimits.TIMEOUT_STATUS, "the request was not answered within " + seconds + " s; retry");
    }
  }
}
