package io.todocluster.cli;

import io.todocluster.Addresses;
import io.todocluster.todo.Commands;
import io.todocluster.todo.TodoException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code todo-cluster send [--bridge host:port] add|list|update|delete ...}: one command to
 * {@code todo.commands} through a node's TCP bridge, the way any outside client would send it.
 * The reply body is printed as JSON (nothing for a delete, whose reply is empty, like its 204);
 * a failure reply is one line on stderr and exit 1.
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Sends one command to todo.commands through a node's TCP bridge and prints the reply as JSON.",
    subcommands = {SendCommand.Add.class, SendCommand.ListEntries.class, SendCommand.Update.class,
        SendCommand.Delete.class},
    footerHeading = "%n",
    footer = "Exit codes: 0 the reply was printed, 1 the bridge could not be reached or the command failed,"
        + " 2 bad usage.")
final class SendCommand implements Callable<Integer> {

  /** A node on this machine with its default bridge port (ConfigLoader.DEFAULT_BRIDGE_PORT). */
  static final String DEFAULT_BRIDGE = "127.0.0.1:" + ConfigLoader.DEFAULT_BRIDGE_PORT;

  /**
   * The bridge gives up on a request after Vert.x's default send timeout (30 s) and answers
   * with an err frame; 5 s more is the trip back. Waiting longer would wait for nothing.
   */
  static final Duration REPLY_TIMEOUT = Duration.ofSeconds(35);

  @Spec
  private CommandSpec spec;

  @Option(names = "--bridge", paramLabel = "<host:port>", defaultValue = DEFAULT_BRIDGE,
      converter = HostPort.Converter.class, description = "A node's TCP bridge (default: ${DEFAULT-VALUE}).")
  private HostPort bridge;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing the command: add, list, update or delete");
  }

  /** Checks the command as a node would (a bad value is a usage error), sends it, prints the reply. */
  int execute(CommandSpec op, JsonObject command) {
    try {
      Commands.validate(command);
    } catch (TodoException e) {
      throw new ParameterException(op.commandLine(), e.getMessage());
    }
    String replyAddress = "todo-cluster.cli." + UUID.randomUUID();
    BridgeConnection connection;
    try {
      connection = BridgeConnection.open(bridge, REPLY_TIMEOUT);
    } catch (IOException e) {
      return failed(op, "cannot reach the bridge at " + bridge + ": " + e.getMessage());
    }
    try (connection) {
      connection.write(BridgeFrames.send(Addresses.TODO_COMMANDS, replyAddress, command));
      JsonObject reply = awaitReply(connection, replyAddress);
      if (BridgeFrames.is(BridgeFrames.ERR, reply) || reply.containsKey("failureCode")) {
        return failed(op, BridgeFrames.errorText(reply));
      }
      Object body = reply.getValue("body");
      if (body != null) {
        op.commandLine().getOut().println(Json.encode(body));
        op.commandLine().getOut().flush();
      }
      return 0;
    } catch (SocketTimeoutException e) {
      return failed(op, "no reply from the bridge at " + bridge + " within " + REPLY_TIMEOUT.toSeconds()
          + " s; the command may have been applied");
    } catch (IOException e) {
      // the command may or may not have been applied: say so rather than guess
      return failed(op, "lost the bridge at " + bridge + " before the reply (" + e.getMessage()
          + "); the command may have been applied");
    }
  }

  /** The reply to our request, or the err frame of a request the bridge refused (it has no address). */
  private static JsonObject awaitReply(BridgeConnection connection, String replyAddress) throws IOException {
    while (true) {
      JsonObject frame = connection.read();
      boolean ours = replyAddress.equals(frame.getString("address"));
      boolean refused = BridgeFrames.is(BridgeFrames.ERR, frame) && frame.getString("address") == null;
      if (ours || refused) {
        return frame;
      }
    }
  }

  private static int failed(CommandSpec op, String message) {
    op.commandLine().getErr().println(Main.COMMAND_NAME + " send " + op.name() + ": " + message);
    op.commandLine().getErr().flush();
    return Main.EXIT_FAILURE;
  }

  private static JsonObject command(String op, ListName list) {
    return new JsonObject().put("op", op).put("list", list.value);
  }

  /** The list every command names. */
  static final class ListName {
    @Option(names = "--list", required = true, paramLabel = "<list>", description = "The list's name.")
    String value;
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Adds an entry; prints it with its id.")
  static final class Add implements Callable<Integer> {
    @ParentCommand
    private SendCommand send;
    @Spec
    private CommandSpec spec;
    @Mixin
    private ListName list;
    @Option(names = "--date", required = true, paramLabel = "<YYYY-MM-DD>", description = "The entry's date.")
    private String date;
    @Option(names = "--title", required = true, paramLabel = "<title>", description = "The entry's title.")
    private String title;

    @Override
    public Integer call() {
      return send.execute(spec, command(Commands.ADD, list).put("date", date).put("title", title));
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Prints a list's entries, by id.")
  static final class ListEntries implements Callable<Integer> {
    @ParentCommand
    private SendCommand send;
    @Spec
    private CommandSpec spec;
    @Mixin
    private ListName list;
    @Option(names = "--date", paramLabel = "<YYYY-MM-DD>", description = "Only the entries of this date.")
    private String date;

    @Override
    public Integer call() {
      JsonObject command = command(Commands.ENTRIES, list);
      if (date != null) {
        command.put("date", date);
      }
      return send.execute(spec, command);
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true,
      description = "Changes an entry's date, title or both; prints the entry.")
  static final class Update implements Callable<Integer> {
    @ParentCommand
    private SendCommand send;
    @Spec
    private CommandSpec spec;
    @Mixin
    private ListName list;
    @Option(names = "--id", required = true, paramLabel = "<id>", description = "The entry's id.")
    private long id;
    @Option(names = "--date", paramLabel = "<YYYY-MM-DD>", description = "The new date.")
    private String date;
    @Option(names = "--title", paramLabel = "<title>", description = "The new title.")
    private String title;

    @Override
    public Integer call() {
      JsonObject command = command(Commands.UPDATE, list).put("id", id);
      if (date != null) {
        command.put("date", date);
      }
      if (title != null) {
        command.put("title", title);
      }
      return send.execute(spec, command);
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes an entry; prints nothing.")
  static final class Delete implements Callable<Integer> {
    @ParentCommand
    private SendCommand send;
    @Spec
    private CommandSpec spec;
    @Mixin
    private ListName list;
    @Option(names = "--id", required = true, paramLabel = "<id>", description = "The entry's id.")
    private long id;

    @Override
    public Integer call() {
      return send.execute(spec, command(Commands.DELETE, list).put("id", id));
    }
  }
}
