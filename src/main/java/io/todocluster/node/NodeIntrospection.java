package io.todocluster.node;

import io.todocluster.cluster.NodeEndpoint;
import io.todocluster.supervision.ChildCount;
import io.todocluster.supervision.ChildInfo;
import io.todocluster.supervision.DynamicSupervisor;
import io.todocluster.supervision.Supervisor;
import io.todocluster.todo.Commands;
import io.todocluster.todo.TodoCache;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the dashboard may ask this node on its own address (see {@link NodeEndpoint}): its
 * supervision tree, read through the supervisors' admin API ({@code which_children},
 * {@code count_children}); the lists whose processes run here; and a crash of one of them, which
 * this node refuses unless its own {@code --dashboard-crash} allows it.
 */
final class NodeIntrospection {

  /** A node may run a million lists: the dashboard shows this many, with the total count. */
  static final int MAX_SHOWN = 200;

  /** Elixir's DynamicSupervisor, and so ours, has one strategy. */
  private static final String DYNAMIC_STRATEGY = "one_for_one";

  private final Vertx vertx;
  private final String name;
  private final Supplier<Supervisor> root;
  private final TodoCache cache;
  private final boolean crashAllowed;

  NodeIntrospection(Vertx vertx, String name, Supplier<Supervisor> root, TodoCache cache, boolean crashAllowed) {
    this.vertx = vertx;
    this.name = name;
    this.root = root;
    this.cache = cache;
    this.crashAllowed = crashAllowed;
  }

  Map<String, Function<JsonObject, Future<JsonObject>>> questions() {
    return Map.of(
        NodeEndpoint.ASK_TREE, question -> tree(),
        NodeEndpoint.ASK_PROCESSES, question -> Future.succeededFuture(processes()),
        NodeEndpoint.ASK_CRASH, this::crash);
  }

  private Future<JsonObject> tree() {
    Supervisor supervisor = root.get();
    if (supervisor == null) {
      return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 503, "the node is starting"));
    }
    return describe(supervisor).map(tree -> new JsonObject().put("node", name).put("tree", tree));
  }

  private Future<JsonObject> describe(Supervisor supervisor) {
    return supervisor.whichChildren().compose(children -> {
      List<Future<JsonObject>> rows = children.stream().map(this::describeChild).toList();
      return Future.all(rows).map(all -> new JsonObject()
          .put("name", supervisor.name())
          .put("strategy", supervisor.strategy().name().toLowerCase())
          .put("children", new JsonArray(rows.stream().map(Future::result).toList())));
    });
  }

  /** The lists' supervisor is the one supervisor child a node has; its incarnation is the cache's. */
  private Future<JsonObject> describeChild(ChildInfo child) {
    JsonObject row = row(child);
    DynamicSupervisor lists = cache.supervisor();
    if (!child.supervisor() || !child.running() || lists == null || !lists.name().equals(child.id())) {
      return Future.succeededFuture(row);
    }
    return describe(lists).map(tree -> row.put("tree", tree)).otherwise(row);
  }

  private Future<JsonObject> describe(DynamicSupervisor supervisor) {
    Future<ChildCount> counted = supervisor.countChildren();
    Future<List<ChildInfo>> listed = supervisor.whichChildren();
    return Future.all(counted, listed).map(both -> {
      ChildCount count = counted.result();
      List<ChildInfo> children = listed.result();
      // the most restarted first: those are what an operator looks for
      List<JsonObject> shown = children.stream()
          .sorted(Comparator.comparingInt(ChildInfo::restarts).reversed().thenComparing(ChildInfo::id))
          .limit(MAX_SHOWN)
          .map(NodeIntrospection::row)
          .toList();
      return new JsonObject()
          .put("name", supervisor.name())
          .put("strategy", DYNAMIC_STRATEGY)
          .put("dynamic", true)
          .put("count", new JsonObject().put("specs", count.specs()).put("active", count.active()))
          .put("children", new JsonArray(shown));
    });
  }

  private static JsonObject row(ChildInfo child) {
    return new JsonObject()
        .put("id", child.id())
        .put("running", child.running())
        .put("restart", child.restart().name().toLowerCase())
        .put("supervisor", child.supervisor())
        .put("restarts", child.restarts());
  }

  private JsonObject processes() {
    List<String> lists = cache.lists().stream().sorted().limit(MAX_SHOWN).toList();
    return new JsonObject().put("node", name).put("count", cache.processCount()).put("lists", new JsonArray(lists));
  }

  private Future<JsonObject> crash(JsonObject question) {
    if (!crashAllowed) {
      return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 403,
          "crash requests are off on node " + name + " (--dashboard-crash)"));
    }
    String list = Commands.listName(question.getValue("list"));
    return cache.crash(list)
        .map(crashed -> new JsonObject().put("list", list).put("node", name).put("crashed", crashed));
  }
}
