package io.todocluster.http;

import io.todocluster.cluster.ClusterInfo;
import io.todocluster.todo.Commands;
import io.todocluster.todo.EntriesReply;
import io.todocluster.todo.ListNode;
import io.todocluster.todo.TodoException;
import io.todocluster.todo.TodoService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * The HTTP routes of the contract: the REST API, the book's two routes and the operations routes.
 * Every route builds a command and hands it to the {@link TodoService}, the same path a command
 * on {@code todo.commands} takes.
 */
public final class HttpApi extends VerticleBase {

  /** The contract's body limit. */
  public static final long BODY_LIMIT = 64 * 1024;
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  /** Liveness: 200 while the process runs (deploy/k8s probes it). */
  public static final String HEALTH_PATH = "/health";
  /** Readiness: 200 only while this node serves (deploy/k8s probes it). */
  public static final String READY_PATH = "/ready";
  /** This API's OpenAPI 3 document. */
  public static final String OPENAPI_PATH = "/openapi.yaml";
  private static final String JSON = "application/json";
  private static final String TEXT = "text/plain; charset=utf-8";

  private final String host;
  private final int port;
  private final TodoService todos;
  private final ClusterInfo cluster;
  private final OperationsRoutes operations;
  private final Dashboard dashboard;
  /** Requests per second per client address; 0 = no limit. */
  private final int rateLimit;
  private int actualPort;
  private Router router;
  private Buffer openApi;

  public HttpApi(String host, int port, TodoService todos, ClusterInfo cluster, OperationsRoutes operations,
      Dashboard dashboard) {
    this(host, port, todos, cluster, operations, dashboard, 0);
  }

  /** @param rateLimit requests per second each client address may make; 0 = no limit */
  public HttpApi(String host, int port, TodoService todos, ClusterInfo cluster, OperationsRoutes operations,
      Dashboard dashboard, int rateLimit) {
    this.rateLimit = rateLimit;
    this.host = host;
    this.port = port;
    this.todos = todos;
    this.cluster = cluster;
    this.operations = operations;
    this.dashboard = dashboard;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    EdgeLimits.guard(router, rateLimit, Set.of(HEALTH_PATH, READY_PATH), Dashboard.EVENT_BUS_PATH.replace("*", ""));

    router.post("/api/lists/:list/entries").consumes(JSON).handler(this::handleAdd);
    router.get("/api/lists/:list/entries").handler(this::handleEntries);
    router.put("/api/lists/:list/entries/:id").consumes(JSON).handler(this::handleUpdate);
    router.delete("/api/lists/:list/entries/:id").handler(this::handleDelete);

    router.post("/add_entry").handler(this::handleBookAdd);
    router.get("/entries").handler(this::handleBookEntries);

    router.get(HEALTH_PATH).handler(operations::handleHealth);
    router.get(READY_PATH).handler(operations::handleReady);
    router.get("/metrics").handler(operations::handleMetrics);
    router.get("/api/cluster").handler(this::handleCluster);
    router.get("/api/lists/:list/node").handler(this::handleListNode);
    router.get(OPENAPI_PATH).handler(this::handleOpenApi);

    router.get("/api/dashboard").handler(this::handleDashboardSettings);
    router.get("/api/processes").handler(this::handleProcesses);
    router.get("/api/nodes/:nodeId/tree").handler(this::handleNodeTree);
    router.post("/api/lists/:list/crash").handler(this::handleCrash);
    router.route(Dashboard.EVENT_BUS_PATH).subRouter(dashboard.eventBusBridge());
    router.getWithRegex(Dashboard.PAGES).handler(dashboard.pages());

    Errors.handleEveryStatus(router);
    this.router = router;
    return OpenApiDocument.read(vertx)
        .compose(document -> {
          openApi = document;
          return vertx.createHttpServer(EdgeLimits.serverOptions(host, port))
              .connectionHandler(HttpVersionGuard::install)
              .invalidRequestHandler(HttpVersionGuard.answerInvalid())
              .requestHandler(EdgeLimits.checkedAuthority(router))
              .listen();
        })
        .onSuccess(server -> actualPort = server.actualPort());
  }

  /** The routes as declared, once started: what the OpenAPI document must describe. */
  public List<Route> routes() {
    return router == null ? List.of() : router.getRoutes();
  }

  /** The port this API listens on (useful when asked for port 0). */
  public int actualPort() {
    return actualPort;
  }

  // ---- REST API ----

  private void handleAdd(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    if (body == null) {
      return;
    }
    JsonObject command = new JsonObject().put("op", Commands.ADD).put("list", ctx.pathParam("list"))
        .put("date", body.getValue("date")).put("title", body.getValue("title"))
        .put("idempotencyKey", ctx.request().getHeader(IDEMPOTENCY_KEY));
    todos.execute(command).onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, 201, ar.result());
      } else {
        Errors.send(ctx, ar.cause());
      }
    });
  }

  private void handleEntries(RoutingContext ctx) {
    JsonObject command = new JsonObject().put("op", Commands.ENTRIES).put("list", ctx.pathParam("list"))
        .put("date", ctx.queryParams().get("date"));
    todos.execute(command).onComplete(ar -> reply(ctx, 200, ar));
  }

  private void handleUpdate(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    if (body == null) {
      return;
    }
    JsonObject command = new JsonObject().put("op", Commands.UPDATE).put("list", ctx.pathParam("list"))
        .put("id", ctx.pathParam("id")).put("date", body.getValue("date")).put("title", body.getValue("title"));
    todos.execute(command).onComplete(ar -> reply(ctx, 200, ar));
  }

  private void handleDelete(RoutingContext ctx) {
    JsonObject command = new JsonObject().put("op", Commands.DELETE).put("list", ctx.pathParam("list"))
        .put("id", ctx.pathParam("id"));
    todos.execute(command).onComplete(ar -> {
      if (ar.succeeded()) {
        if (!ctx.response().ended()) {
          ctx.response().setStatusCode(204).end();
        }
      } else {
        Errors.send(ctx, ar.cause());
      }
    });
  }

  // ---- the book's routes (Elixir in Action, ch. 11): plain text, byte for byte ----

  private void handleBookAdd(RoutingContext ctx) {
    JsonObject command = new JsonObject().put("op", Commands.ADD).put("list", ctx.request().getParam("list"))
        .put("date", ctx.request().getParam("date")).put("title", ctx.request().getParam("title"));
    todos.execute(command).onComplete(ar -> {
      if (ar.succeeded()) {
        text(ctx, "OK");
      } else {
        Errors.send(ctx, ar.cause());
      }
    });
  }

  private void handleBookEntries(RoutingContext ctx) {
    String date = ctx.request().getParam("date");
    if (date == null) {
      Errors.send(ctx, TodoException.badRequest("date is required (YYYY-MM-DD)"));
      return;
    }
    JsonObject command = new JsonObject().put("op", Commands.ENTRIES).put("list", ctx.request().getParam("list"))
        .put("date", date);
    todos.execute(command).onComplete(ar -> {
      if (ar.succeeded()) {
        text(ctx, EntriesReply.bookLines((JsonArray) ar.result()));
      } else {
        Errors.send(ctx, ar.cause());
      }
    });
  }

  // ---- operations ----

  private void handleOpenApi(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", OpenApiDocument.CONTENT_TYPE).end(openApi);
  }

  private void handleListNode(RoutingContext ctx) {
    reply(ctx, 200, todos.whereIs(ctx.pathParam("list")).map(ListNode::toJson));
  }

  private void handleCluster(RoutingContext ctx) {
    cluster.describe().onComplete(ar -> reply(ctx, 200, ar.map(o -> (Object) o)));
  }

  // ---- the dashboard ----

  private void handleDashboardSettings(RoutingContext ctx) {
    json(ctx, 200, dashboard.settings());
  }

  private void handleProcesses(RoutingContext ctx) {
    dashboard.processes().onComplete(ar -> reply(ctx, 200, ar.map(o -> (Object) o)));
  }

  private void handleNodeTree(RoutingContext ctx) {
    dashboard.tree(ctx.pathParam("nodeId")).onComplete(ar -> reply(ctx, 200, ar.map(o -> (Object) o)));
  }

  private void handleCrash(RoutingContext ctx) {
    dashboard.crash(ctx.pathParam("list")).onComplete(ar -> reply(ctx, 200, ar.map(o -> (Object) o)));
  }

  // ---- helpers ----

  /** The body as a JSON object, or null after answering 400. */
  private static JsonObject jsonBody(RoutingContext ctx) {
    try {
      Object body = ctx.body().asJsonObject();
      if (body == null) {
        Errors.send(ctx, 400, "the body must be a JSON object");
      }
      return (JsonObject) body;
    } catch (RuntimeException e) {
      Errors.send(ctx, 400, "the body must be a JSON object");
      return null;
    }
  }

  private static void reply(RoutingContext ctx, int status, io.vertx.core.AsyncResult<Object> ar) {
    if (ar.succeeded()) {
      json(ctx, status, ar.result());
    } else {
      Errors.send(ctx, ar.cause());
    }
  }

  // an answer that comes after the request timeout has answered is dropped, not written twice
  private static void text(RoutingContext ctx, String body) {
    if (!ctx.response().ended()) {
      ctx.response().putHeader("Content-Type", TEXT).end(body);
    }
  }

  private static void json(RoutingContext ctx, int status, Object body) {
    if (ctx.response().ended()) {
      return;
    }
    String encoded = body instanceof JsonObject o ? o.encode() : body instanceof JsonArray a ? a.encode() : "null";
    ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(encoded);
  }
}
