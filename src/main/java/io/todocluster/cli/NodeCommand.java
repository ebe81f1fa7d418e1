package io.todocluster.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code todo-cluster node [options]}: runs a node, exactly as the bare top-level command. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    sortOptions = false, // declared order groups related options (http, cluster, bus, ...)
    versionProvider = VersionProvider.class,
    description = "Runs a Todo Cluster node.",
    footerHeading = "%n",
    footer = Main.PRECEDENCE_NOTE)
final class NodeCommand implements Callable<Integer> {

  @ParentCommand
  private Main parent;

  @Mixin
  private NodeOptions options;

  @Override
  public Integer call() {
    // `todo-cluster --http-port 1 node` must not silently drop the option given before `node`
    Map<String, String> given = new LinkedHashMap<>(parent.givenFlags());
    given.putAll(options.given());
    return parent.runNode(given);
  }
}
