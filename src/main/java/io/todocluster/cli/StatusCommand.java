package io.todocluster.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code todo-cluster status [--http host:port]}: asks any node's {@code GET /api/cluster} and
 * prints the members as a table. The partition column is the view of the node that answered.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Prints the cluster's members, as one node's HTTP API sees them.",
    footerHeading = "%n",
    footer = "Exit codes: 0 the table was printed, 1 the node could not be reached or did not answer 200,"
        + " 2 bad usage.")
final class StatusCommand implements Callable<Integer> {

  /** A node on this machine with the contract's HTTP port (ConfigLoader.DEFAULT_HTTP_PORT). */
  static final String DEFAULT_HTTP = "127.0.0.1:" + ConfigLoader.DEFAULT_HTTP_PORT;

  /** The node asks every member for its process count with a 1 s timeout (ClusterInfo): 10 s is ample. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final List<String> COLUMNS = List.of("NAME", "NODE ID", "HTTP", "ROLE", "PROCESSES", "PARTITION");

  @Spec
  private CommandSpec spec;

  @Option(names = "--http", paramLabel = "<host:port>", defaultValue = DEFAULT_HTTP,
      converter = HostPort.Converter.class, description = "Any node's HTTP address (default: ${DEFAULT-VALUE}).")
  private HostPort http;

  @Override
  public Integer call() throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + http + "/api/cluster")).timeout(TIMEOUT).GET().build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      // a refused connection has no message of its own
      return failed("cannot reach " + http + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
    if (response.statusCode() != 200) {
      return failed(http + " answered " + response.statusCode() + ": " + response.body().strip());
    }
    JsonObject cluster;
    try {
      cluster = new JsonObject(response.body());
    } catch (DecodeException e) {
      return failed(http + " did not answer JSON: " + e.getMessage());
    }
    print(cluster, spec.commandLine().getOut());
    return 0;
  }

  private static void print(JsonObject cluster, PrintWriter out) {
    JsonArray members = cluster.getJsonArray("members", new JsonArray());
    String partition = cluster.getString("partition", "-");
    List<List<String>> rows = new ArrayList<>();
    rows.add(COLUMNS);
    for (int i = 0; i < members.size(); i++) {
      JsonObject m = members.getJsonObject(i);
      rows.add(List.of(text(m, "name"), text(m, "nodeId"), text(m, "http"), text(m, "role"), text(m, "processes"),
          partition));
    }
    int[] widths = new int[COLUMNS.size()];
    for (List<String> row : rows) {
      for (int c = 0; c < row.size(); c++) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    out.println(members.size() + " members, as seen by " + cluster.getString("node", "?"));
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.size(); c++) {
        line.append(c == row.size() - 1 ? row.get(c) : String.format("%-" + (widths[c] + 2) + "s", row.get(c)));
      }
      out.println(line);
    }
    out.flush();
  }

  /** A member that did not answer in time has no process count: shown as "-". */
  private static String text(JsonObject member, String field) {
    Object value = member.getValue(field);
    return value == null ? "-" : value.toString();
  }

  private int failed(String message) {
    spec.commandLine().getErr().println(Main.COMMAND_NAME + " status: " + message);
    spec.commandLine().getErr().flush();
    return Main.EXIT_FAILURE;
  }
}
