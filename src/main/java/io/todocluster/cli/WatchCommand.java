package io.todocluster.cli;

import io.todocluster.Addresses;
import io.todocluster.todo.Commands;
import io.vertx.core.json.JsonObject;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code todo-cluster watch [--bridge host:port] [--list L]}: registers through a node's TCP
 * bridge and prints every message that arrives as one JSON line
 * ({@code {"address":...,"body":...}}) until Ctrl-C. The bridge registers exact addresses only
 * (no wildcard), so one list's {@code todo.events.<L>} is watched when {@code --list} is given,
 * and {@code cluster.events} otherwise.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Prints the events of one list (--list), or the cluster's events, as JSON lines until Ctrl-C.",
        "The bridge has no wildcard registration: without --list it watches cluster.events only."},
    footerHeading = "%n",
    footer = "Exit codes: 0 after --count messages, 1 the bridge could not be reached, refused or went away,"
        + " 2 bad usage.")
final class WatchCommand implements Callable<Integer> {

  /**
   * The bridge sends nothing while nothing happens: after this long without a frame we ping it,
   * and a bridge that does not answer within as long again is gone.
   */
  static final Duration QUIET_BEFORE_PING = Duration.ofSeconds(15);

  @Spec
  private CommandSpec spec;

  @Option(names = "--bridge", paramLabel = "<host:port>", defaultValue = SendCommand.DEFAULT_BRIDGE,
      converter = HostPort.Converter.class, description = "A node's TCP bridge (default: ${DEFAULT-VALUE}).")
  private HostPort bridge;

  @Option(names = "--list", paramLabel = "<list>", description = "Watch this list's events (todo.events.<list>)"
      + " instead of cluster.events.")
  private String list;

  @Option(names = "--count", paramLabel = "<n>", description = "Stop after this many messages (default: until Ctrl-C).")
  private Integer count;

  @Override
  public Integer call() {
    if (list != null && !Commands.LIST_NAME.matcher(list).matches()) {
      throw new ParameterException(spec.commandLine(), "--list must match " + Commands.LIST_NAME.pattern());
    }
    if (count != null && count < 1) {
      throw new ParameterException(spec.commandLine(), "--count must be at least 1");
    }
    String address = list == null ? Addresses.CLUSTER_EVENTS : Addresses.todoEvents(list);
    BridgeConnection connection;
    try {
      connection = BridgeConnection.open(bridge, QUIET_BEFORE_PING);
    } catch (IOException e) {
      return failed("cannot reach the bridge at " + bridge + ": " + e.getMessage());
    }
    try (connection) {
      connection.write(BridgeFrames.register(address));
      // frames are handled in order: an err before the pong is the bridge refusing the register
      connection.write(BridgeFrames.ping());
      return watch(connection, address);
    } catch (EOFException e) {
      return failed("the bridge at " + bridge + " closed the connection");
    } catch (IOException e) {
      return failed("lost the bridge at " + bridge + ": " + e.getMessage());
    }
  }

  private int watch(BridgeConnection connection, String address) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    boolean registered = false;
    boolean pingUnanswered = true;
    int printed = 0;
    while (count == null || printed < count) {
      JsonObject frame;
      try {
        frame = connection.read();
      } catch (SocketTimeoutException quiet) {
        if (pingUnanswered) {
          return failed("the bridge at " + bridge + " stopped answering");
        }
        connection.write(BridgeFrames.ping());
        pingUnanswered = true;
        continue;
      }
      pingUnanswered = false;
      if (BridgeFrames.is(BridgeFrames.ERR, frame)) {
        return failed(BridgeFrames.errorText(frame));
      }
      if (BridgeFrames.is(BridgeFrames.PONG, frame) && !registered) {
        registered = true;
        spec.commandLine().getErr().println("watching " + address + " on " + bridge + " (Ctrl-C to stop)");
        spec.commandLine().getErr().flush();
      } else if (BridgeFrames.is(BridgeFrames.MESSAGE, frame)) {
        out.println(new JsonObject().put("address", frame.getString("address")).put("body", frame.getValue("body")).encode());
        out.flush();
        printed++;
      }
    }
    return 0;
  }

  private int failed(String message) {
    spec.commandLine().getErr().println(Main.COMMAND_NAME + " watch: " + message);
    spec.commandLine().getErr().flush();
    return Main.EXIT_FAILURE;
  }
}
