package io.todocluster.http;

import io.todocluster.todo.TodoService;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What the HTTP edge accepts from a client it does not trust: the sizes of a request's parts and
 * how long it may take (the body limit, the contract's, is {@link HttpApi#BODY_LIMIT}). Vert.x answers the decoder's limits itself (414, 431, or 400 and a close);
 * the router answers the rest through {@link Errors}.
 */
final class EdgeLimits {

  /** Netty's and Vert.x's default, written down so it cannot drift: ample for our few headers. */
  static final int MAX_HEADER_SIZE = 8 * 1024;
  /** Vert.x's default: our longest URL is a 128-character list name plus a query of a date. */
  static final int MAX_INITIAL_LINE_LENGTH = 4 * 1024;
  /** Form fields (the book's POST /add_entry may send a form): a title is at most 1000 characters. */
  static final int MAX_FORM_ATTRIBUTE_SIZE = 8 * 1024;
  /**
   * Longer than SockJS's 25 s heartbeat, so the dashboard's socket stays open; as long as nginx's
   * client timeouts, so a connection that sends nothing is closed in the same time there.
   */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
  /** The routing deadline plus 10 s, so that a command routed to a slow owner gets its own answer. */
  static final Duration REQUEST_TIMEOUT = TodoService.ROUTING_DEADLINE.plusSeconds(10);
  /** The status a request gets when it runs out of time (Errors turns it into a body). */
  static final int TIMEOUT_STATUS = 503;

  /** The methods whose body a route here may read. */
  private static final Set<HttpMethod> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
      HttpMethod.DELETE);

  private EdgeLimits() {
  }

  /**
   * The edge's handlers, first on the router: a limited request is answered before its body is
   * read, and the timeout bounds the body's arrival too (each goes on synchronously, as the body
   * handler needs).
   *
   * @param rateLimit requests per second per client address; 0 = no limit
   * @param unlimited paths the rate limit never applies to
   * @param bridgePrefix where the dashboard's SockJS connections live, which stay open
   */
  static void guard(Router router, int rateLimit, Set<String> unlimited, String bridgePrefix) {
    if (rateLimit > 0) {
      router.route().handler(new RateLimiter(rateLimit, unlimited));
    }
    router.route().handler(requestTimeout(bridgePrefix));
    router.route().handler(EdgeLimits::requireDecodableQuery);
    router.route().handler(bodies(HttpApi.BODY_LIMIT));
  }

  /**
   * The server's options: the limits above, and no HTTP/2 over cleartext: nothing here needs it,
   * and the h2c upgrade is one more parser a hostile client could reach.
   */
  static HttpServerOptions serverOptions(String host, int port) {
    return new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setMaxHeaderSize(MAX_HEADER_SIZE)
        .setMaxInitialLineLength(MAX_INITIAL_LINE_LENGTH)
        .setMaxFormAttributeSize(MAX_FORM_ATTRIBUTE_SIZE)
        .setIdleTimeout((int) IDLE_TIMEOUT.toSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setHttp2ClearTextEnabled(false);
  }

  /**
   * Fails a request with {@link #TIMEOUT_STATUS} after {@link #REQUEST_TIMEOUT}; but not the
   * dashboard's SockJS connections under {@code bridgePrefix}, which are meant to stay open.
   */
  static Handler<RoutingContext> requestTimeout(String bridgePrefix) {
    return requestTimeout(bridgePrefix, REQUEST_TIMEOUT);
  }

  /** The same with another timeout: tests do not wait 30 s. */
  static Handler<RoutingContext> requestTimeout(String bridgePrefix, Duration after) {
    TimeoutHandler timeout = TimeoutHandler.create(after.toMillis(), TIMEOUT_STATUS);
    return ctx -> {
      if (ctx.request().path().startsWith(bridgePrefix)) {
        ctx.next();
      } else {
        timeout.handle(ctx);
      }
    };
  }

  /**
   * Reads the body, up to {@code limit}, of the methods that carry one. On any other method with
   * a form's content type Vert.x refuses to decode it and throws, which would fail a GET with
   * 500; no route here reads such a body anyway.
   */
  static Handler<RoutingContext> bodies(long limit) {
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(limit);
    return ctx -> {
      if (WITH_BODY.contains(ctx.request().method())) {
        bodies.handle(ctx);
      } else {
        ctx.next();
      }
    };
  }

  /**
   * Answers 400 to a query string that does not decode (a bad %-escape): Vert.x decodes it
   * lazily and throws from whichever handler reads a parameter first, which would be a 500.
   */
  static void requireDecodableQuery(RoutingContext ctx) {
    try {
      ctx.request().params();
      ctx.queryParams();
    } catch (IllegalArgumentException e) {
      Errors.send(ctx, 400, "the query string is not valid: " + e.getMessage());
      return;
    }
    ctx.next();
  }

  /**
   * Answers 400 to a request whose Host header Vert.x cannot parse, before the router sees it.
   * Vert.x 5.0.7 throws from its parser on some, {@code Host: 1%7.0.0.1} for one, and the router
   * reads the authority outside its own error handling: the exception reached the HTTP verticle,
   * which its supervisor restarted, and four such requests in 5 s stopped the node.
   */
  static Handler<HttpServerRequest> checkedAuthority(Handler<HttpServerRequest> router) {
    return request -> {
      try {
        request.authority();
      } catch (RuntimeException e) {
        Errors.send(request, 400, "the Host header is not a valid host and port");
        return;
      }
      router.handle(request);
    };
  }
}
