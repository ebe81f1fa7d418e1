package io.todocluster.http;

import io.todocluster.Addresses;
import io.todocluster.cluster.ClusterInfo;
import io.todocluster.cluster.NodeEndpoint;
import io.todocluster.todo.ListNode;
import io.todocluster.todo.TodoException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The cluster dashboard behind {@code /}: its static page, the SockJS event bus bridge that
 * pushes {@code cluster.events} and {@code supervisor.events} to it, and the JSON it reads. Any
 * node serves all of it: questions about another node go to that node's own address
 * ({@link NodeEndpoint}), so the page shows the whole cluster from whichever node it came from.
 */
public final class Dashboard {

  /**
   * The page's files under {@code webroot/}, as one regex: StaticHandler strips an exact route's
   * path and a wildcard route's prefix from the file it looks up, but not a regex route's.
   */
  public static final String PAGES = "/|/dashboard\\.js|/dashboard\\.css|/vendor/[A-Za-z0-9._-]+";

  /** Where the page's SockJS client connects. */
  public static final String EVENT_BUS_PATH = "/eventbus/*";

  /** A node that does not answer in 2 s is shown as not answering; the page asks again soon. */
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(2_000);

  private final Vertx vertx;
  private final ClusterInfo cluster;
  private final Function<Object, Future<ListNode>> whereIs;
  private final boolean crashAllowed;
  // a rolling upgrade changes these files under the same names: no "immutable" caching
  private final StaticHandler pages = StaticHandler.create("webroot").setCachingEnabled(false);

  /**
   * @param whereIs where a list's process runs (placement), or why that cannot be said
   * @param crashAllowed {@code --dashboard-crash}: whether this node takes crash requests
   */
  public Dashboard(Vertx vertx, ClusterInfo cluster, Function<Object, Future<ListNode>> whereIs,
      boolean crashAllowed) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.whereIs = whereIs;
    this.crashAllowed = crashAllowed;
  }

  /** The page, its script and style, and the vendored SockJS and event bus clients. */
  public Handler<RoutingContext> pages() {
    return pages;
  }

  /**
   * The browser may only listen, and only to the two addresses the page shows; it sends nothing
   * (the crash button is an HTTP route, so that the option and its 403 live in one place).
   */
  public Router eventBusBridge() {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddress(Addresses.CLUSTER_EVENTS))
        .addOutboundPermitted(new PermittedOptions().setAddress(Addresses.SUPERVISOR_EVENTS));
    // SockJS's iframe fallbacks load the client library from this URL: ours, not a CDN's
    SockJSHandlerOptions sockJs = new SockJSHandlerOptions().setLibraryURL("/vendor/sockjs.min.js");
    return SockJSHandler.create(vertx, sockJs).bridge(options);
  }

  /** What the page needs to know about this node before it draws anything. */
  public JsonObject settings() {
    return new JsonObject().put("crash", crashAllowed);
  }

  /** The supervision tree of one node, asked of that node. */
  public Future<JsonObject> tree(String nodeId) {
    return ask(nodeId, new JsonObject().put(NodeEndpoint.ASK, NodeEndpoint.ASK_TREE))
        .map(tree -> tree.put("nodeId", nodeId));
  }

  /** Every live process and where it runs: each server member is asked for its own. */
  public Future<JsonObject> processes() {
    return cluster.describe().compose(view -> {
      List<Future<JsonObject>> answers = new ArrayList<>();
      for (Object m : view.getJsonArray("members")) {
        JsonObject member = (JsonObject) m;
        if (!"client".equals(member.getString("role"))) {
          String nodeId = member.getString("nodeId");
          answers.add(ask(nodeId, new JsonObject().put(NodeEndpoint.ASK, NodeEndpoint.ASK_PROCESSES))
              .map(answer -> answer.put("nodeId", nodeId)));
        }
      }
      return Future.join(answers).transform(ar -> {
        JsonArray nodes = new JsonArray();
        answers.stream().filter(Future::succeeded).map(Future::result).forEach(nodes::add);
        return Future.succeededFuture(new JsonObject().put("nodes", nodes));
      });
    });
  }

  /** Sends the crash command to the list's process, on the node that owns the list. */
  public Future<JsonObject> crash(String list) {
    if (!crashAllowed) {
      return Future.failedFuture(new TodoException(403,
          "crash requests are off on this node; start it with --dashboard-crash true to allow them"));
    }
    return whereIs.apply(list).compose(where ->
        ask(where.nodeId(), new JsonObject().put(NodeEndpoint.ASK, NodeEndpoint.ASK_CRASH).put("list", where.list()))
            .compose(answer -> answer.getBoolean("crashed", false) ? Future.succeededFuture(answer)
                : Future.failedFuture(TodoException.notFound(
                    "list '" + where.list() + "' has no running process on its node " + answer.getString("node")
                        + " (it starts on its next request)"))));
  }

  private Future<JsonObject> ask(String nodeId, JsonObject question) {
    return vertx.eventBus().<JsonObject>request(Addresses.node(nodeId), question, ASK)
        .map(Message::body)
        .recover(error -> Future.failedFuture(translate(nodeId, error)));
  }

  /** A node's refusal keeps its status; a node that is gone or silent is a 404 or a 503. */
  private static TodoException translate(String nodeId, Throwable error) {
    if (error instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        return new TodoException(reply.failureCode() >= 400 && reply.failureCode() < 600 ? reply.failureCode() : 503,
            reply.getMessage());
      }
      if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return TodoException.notFound("no node " + nodeId + " in the cluster");
      }
    }
    return TodoException.unavailable("node " + nodeId + " did not answer in time; retry");
  }
}
