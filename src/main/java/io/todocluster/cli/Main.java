package io.todocluster.cli;

import io.todocluster.node.NodeConfig;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The launcher of the fat jar. With no subcommand it runs a node, so
 * {@code java -jar todo-cluster.jar --http-port 8081} works; {@code node} does the same, and
 * the cluster's other tools become subcommands beside it.
 */
@Command(
    name = Main.COMMAND_NAME,
    mixinStandardHelpOptions = true,
    sortOptions = false, // declared order groups related options (http, cluster, bus, ...)
    versionProvider = VersionProvider.class,
    description = "Runs a Todo Cluster node (also what the 'node' subcommand does).",
    subcommands = {NodeCommand.class, StatusCommand.class, SendCommand.class, WatchCommand.class, ForgetMemberCommand.class,
        io.todocluster.bench.BenchCommand.class},
    footerHeading = "%n",
    footer = Main.PRECEDENCE_NOTE)
public final class Main implements Callable<Integer> {

  static final String COMMAND_NAME = "todo-cluster";

  /** Exit code of a user's mistake on the command line or in the configuration. */
  static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;
  /** Exit code when the program itself failed (a node that did not start, a bug). */
  static final int EXIT_FAILURE = CommandLine.ExitCode.SOFTWARE;

  static final String PRECEDENCE_NOTE =
      "Every option can also be set as TODO_<NAME> in the environment (--http-port as"
          + " TODO_HTTP_PORT) or as <name> in the --config file (http-port: 8081)."
          + " A flag wins over the environment, which wins over the file, which wins over"
          + " the default.";

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  @Mixin
  private NodeOptions options;

  private final Map<String, String> env;
  private final NodeLauncher launcher;

  Main(Map<String, String> env, NodeLauncher launcher) {
    this.env = env;
    this.launcher = launcher;
  }

  public static void main(String[] args) {
    routeLoggingToSlf4j();
    int exitCode = commandLine(System.getenv(), new NodeRunner()).execute(args);
    System.exit(exitCode);
  }

  /** The whole command tree; tests call it with their own environment and launcher. */
  static CommandLine commandLine(Map<String, String> env, NodeLauncher launcher) {
    Main main = new Main(env, launcher);
    CommandLine commandLine = new CommandLine(main);
    commandLine.setParameterExceptionHandler((e, args) -> usageError(e.getCommandLine(),
        e.getMessage() + " (see --help)"));
    commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
      if (e instanceof InvalidConfigException) {
        return usageError(cmd, e.getMessage());
      }
      LOG.error("{} failed", COMMAND_NAME, e);
      return EXIT_FAILURE;
    });
    return commandLine;
  }

  /**
   * Infinispan and JGroups log through JUL and Vert.x through its own facade: send all of it
   * to SLF4J (logback) so that a node's log is one stream in one format. Must run before the
   * first Vert.x class picks its logger.
   */
  static void routeLoggingToSlf4j() {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.setProperty("vertx.logger-delegate-factory-class-name",
        "io.vertx.core.logging.SLF4JLogDelegateFactory");
  }

  @Override
  public Integer call() {
    return runNode(options.given());
  }

  /** Loads the configuration (flags > env > file > default) and hands it to the launcher. */
  int runNode(Map<String, String> givenFlags) {
    NodeConfig config = new ConfigLoader(env).load(givenFlags);
    return launcher.run(config);
  }

  Map<String, String> givenFlags() {
    return options.given();
  }

  /** A user's mistake: one line on stderr, no stack trace, exit 2. */
  private static int usageError(CommandLine cmd, String message) {
    PrintWriter err = cmd.getErr();
    String firstLine = message.strip().lines().findFirst().orElse("invalid input");
    err.println(COMMAND_NAME + ": " + firstLine);
    err.flush();
    return EXIT_USAGE;
  }
}
