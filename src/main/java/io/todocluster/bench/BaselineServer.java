package io.todocluster.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-path baseline: a plain Vert.x Web route that answers a fixed JSON body of the size of
 * the node's answer, in the same kind of JVM, started from the same jar:
 * {@code java -cp todo-cluster.jar io.todocluster.bench.BaselineServer <port> <body bytes>}.
 * It has the same router shape as the node's API (a body handler on every route, a path
 * parameter), so what is compared is the work behind the route.
 */
public final class BaselineServer extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(BaselineServer.class);
  static final String PATH = "/api/lists/:list/entries";

  private final int port;
  private final Buffer body;

  BaselineServer(int port, int bodyBytes) {
    this.port = port;
    this.body = Buffer.buffer(jsonOfSize(bodyBytes));
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int bodyBytes = Integer.parseInt(args[1]);
    Vertx.vertx().deployVerticle(new BaselineServer(port, bodyBytes))
        .onSuccess(id -> LOG.info("{} on port {}, {} bytes a body", BaselineMember.READY, port, bodyBytes))
        .onFailure(e -> {
          LOG.error("baseline server did not start", e);
          System.exit(1);
        });
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false));
    router.get(PATH).handler(this::handleEntries);
    router.get("/ready").handler(ctx -> ctx.response().end());
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
        .requestHandler(router).listen();
  }

  private void handleEntries(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(body);
  }

  /** A JSON array of exactly {@code bytes} characters (at least 2: "[]"). */
  static String jsonOfSize(int bytes) {
    if (bytes < 8) {
      return "[]" + " ".repeat(Math.max(0, bytes - 2));
    }
    // ["xxx...x"]
    return "[\"" + "x".repeat(bytes - 4) + "\"]";
  }
}
