package io.todocluster.bridge;

import io.todocluster.Addresses;
import java.util.regex.Pattern;

/**
 * What an outside client may do through the TCP bridge (the contract): send commands to
 * {@code todo.commands}, and register for {@code todo.events.*} and {@code cluster.events}.
 * Anything else (another address, a register for the commands) gets an
 * {@code {"type":"err","message":"access_denied"}} frame.
 *
 * <p>Permissions name addresses, not verbs: a {@code publish} to {@code todo.commands} would
 * reach the consumer on every node, which would all apply the same command. A command is a
 * request to one consumer, so publishing is refused
 * ({@code {"type":"err","message":"blocked by bridgeEvent handler"}}, Vert.x's bridge's words).
 */
final class BridgePermissions {

  static final String ACCESS_DENIED = "access_denied";
  static final String PUBLISH_REFUSED = "blocked by bridgeEvent handler";
  private static final Pattern EVENTS = Pattern.compile(Addresses.TODO_EVENTS_PATTERN);

  private BridgePermissions() {
  }

  /** Whether a client may send to this address. */
  static boolean inbound(String address) {
    return Addresses.TODO_COMMANDS.equals(address);
  }

  /** Whether a client may register for this address. */
  static boolean outbound(String address) {
    return Addresses.CLUSTER_EVENTS.equals(address) || EVENTS.matcher(address).matches();
  }
}
