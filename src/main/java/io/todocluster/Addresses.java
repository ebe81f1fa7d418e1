package io.todocluster;

/** Every event bus address the service uses, in one place. */
public final class Addresses {

  /** Commands for any list, request/reply, consumed on every server node (the contract). */
  public static final String TODO_COMMANDS = "todo.commands";

  /** Changes of one list are published at this prefix plus the list name (the contract). */
  public static final String TODO_EVENTS_PREFIX = "todo.events.";

  /** Every list's events as one regular expression, todo\.events\..+ (for the bridge's permissions). */
  public static final String TODO_EVENTS_PATTERN = TODO_EVENTS_PREFIX.replace(".", "\\.") + ".+";

  /** Membership, partition and process events (the contract). */
  public static final String CLUSTER_EVENTS = "cluster.events";

  /** A node about to leave announces itself here, so that every node stops placing work on it. */
  public static final String CLUSTER_LEAVING = "cluster.leaving";

  /** Reports of every supervisor decision. */
  public static final String SUPERVISOR_EVENTS = io.todocluster.supervision.SupervisorEvents.DEFAULT_ADDRESS;

  private static final String NODE_PREFIX = "todo.node.";

  private Addresses() {
  }

  public static String todoEvents(String list) {
    return TODO_EVENTS_PREFIX + list;
  }

  /** A node's own address, for questions about that node (its process count, its name). */
  public static String node(String nodeId) {
    return NODE_PREFIX + nodeId;
  }

  /** Where other nodes send the commands of the lists this node owns. */
  public static String nodeCommands(String nodeId) {
    return NODE_PREFIX + nodeId + ".commands";
  }

  /** Where a new owner asks this node to stop a process it still runs. */
  public static String nodeRelease(String nodeId) {
    return NODE_PREFIX + nodeId + ".release";
  }

  /** Where a leaving node hands the lists it ran to their new owner. */
  public static String nodeAdopt(String nodeId) {
    return NODE_PREFIX + nodeId + ".adopt";
  }
}
