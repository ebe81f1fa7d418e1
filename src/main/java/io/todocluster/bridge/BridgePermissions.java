package io.todocluster.bridge;

import io.todocluster.Addresses;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.BridgeEvent;

/**
 * What an outside client may do through the TCP bridge (the contract): send commands to
 * {@code todo.commands}, and register for {@code todo.events.*} and {@code cluster.events}.
 * Anything else (another address, a register for the commands) gets the bridge's own
 * {@code {"type":"err","message":"access_denied"}} frame.
 */
public final class BridgePermissions {

  private BridgePermissions() {
  }

  public static BridgeOptions options() {
    return new BridgeOptions()
        .addInboundPermitted(new PermittedOptions().setAddress(Addresses.TODO_COMMANDS))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.TODO_EVENTS_PATTERN))
        .addOutboundPermitted(new PermittedOptions().setAddress(Addresses.CLUSTER_EVENTS));
  }

  /**
   * Permissions name addresses, not verbs: a {@code publish} to {@code todo.commands} would pass
   * them and reach the consumer on every node, which would all apply the same command. A command
   * is a request to one consumer, so publishing is refused here (the bridge answers
   * {@code {"type":"err","message":"blocked by bridgeEvent handler"}}).
   */
  public static void refusePublish(BridgeEvent event) {
    event.complete(event.type() != BridgeEventType.PUBLISH);
  }
}
