package io.todocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import io.todocluster.node.ConfigKeys;
import io.todocluster.node.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

@DisplayName("the todo-cluster command line")
class MainCommandLineTest {

  @TempDir
  static Path dir;

  /** Stands in for the node: records what it was asked to run, starts nothing. */
  private final List<NodeConfig> launched = new ArrayList<>();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    CommandLine commandLine = Main.commandLine(env, config -> {
      launched.add(config);
      return 0;
    });
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private int run(String... args) {
    return run(Map.of(), args);
  }

  @Test
  @DisplayName("with no subcommand it runs a node with the flags given")
  void topLevelRunsANode() {
    int exitCode = run("--http-port", "8081", "--seeds=a:7800,b:7800");

    assertThat(exitCode).isZero();
    assertThat(launched).singleElement().satisfies(config -> {
      assertThat(config.httpPort()).isEqualTo(8081);
      assertThat(config.seeds()).containsExactly("a:7800", "b:7800");
    });
    assertThat(err.toString()).isEmpty();
  }

  @Test
  @DisplayName("the node subcommand runs a node too, keeping options given before it")
  void nodeSubcommandRunsANode() {
    int exitCode = run(Map.of("TODO_ROLE", "client"),
        "--http-port", "8081", "node", "--name", "n1", "--cluster-port", "7801");

    assertThat(exitCode).isZero();
    assertThat(launched).singleElement().satisfies(config -> {
      assertThat(config.name()).isEqualTo("n1");
      assertThat(config.httpPort()).isEqualTo(8081);
      assertThat(config.clusterPort()).isEqualTo(7801);
      assertThat(config.role()).isEqualTo(NodeConfig.Role.CLIENT);
    });
  }

  @Test
  @DisplayName("--help exits 0 and lists every option and the environment variables")
  void helpListsOptions() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains(ConfigKeys.NODE_KEYS.stream().map(ConfigKeys::flagName).toList())
        .contains("--config", "--version", "node", "TODO_HTTP_PORT");
    assertThat(launched).isEmpty();

    out.getBuffer().setLength(0);
    assertThat(run("node", "--help")).isZero();
    assertThat(out.toString()).contains("--http-port", "--secret", "--idle-timeout");
  }

  @Test
  @DisplayName("--version exits 0 and prints a version")
  void version() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("todo-cluster ");
    assertThat(launched).isEmpty();
  }

  static Stream<Arguments> badInput() throws IOException {
    Path unparseable = Files.writeString(dir.resolve("broken.yaml"), "http-port: [8081\n");
    Path json = Files.writeString(dir.resolve("broken.json"), "{\"http-port\": ");
    Path text = Files.writeString(dir.resolve("node.txt"), "http-port: 8081\n");
    return Stream.of(
        bad("--http-port: expected a port 0..65535, got 'abc'", "--http-port", "abc"),
        bad("--http-port: expected a port 0..65535, got '65536'", "--http-port", "65536"),
        bad("--cluster-port: expected a port 0..65535, got '-1'", "--cluster-port=-1"),
        bad("--bus-port: expected a port 0..65535, got '1.5'", "--bus-port", "1.5"),
        bad("--bridge-port: expected a port 0..65535, got ''", "--bridge-port", ""),
        bad("--role: expected server or client, got 'boss'", "--role", "boss"),
        bad("--seeds: expected host:port with a port 1..65535, got 'b'", "--seeds", "a:1,b"),
        bad("--seeds: expected host:port with a port 1..65535, got 'a:0'", "--seeds", "a:0"),
        bad("--seeds: expected host:port with a port 1..65535, got ''", "--seeds", "a:1,,b:2"),
        bad("--idle-timeout: expected a positive duration like 500ms, 60s, 5m or 1h, got '60'",
            "--idle-timeout", "60"),
        bad("--idle-timeout: expected a positive duration like 500ms, 60s, 5m or 1h, got '0s'",
            "--idle-timeout", "0s"),
        bad("--owners: expected a number of copies >= 2, got '0'", "--owners", "0"),
        bad("--owners: expected a number of copies >= 2, got 'two'", "--owners", "two"),
        bad("--name: expected 1..64 letters, digits, '.', '_' or '-', got 'a b'", "--name", "a b"),
        bad("--cluster-host: binding '0.0.0.0' (not loopback) needs a cluster secret"
            + " (--secret or TODO_SECRET)", "--cluster-host", "0.0.0.0"),
        bad("--config: no readable file 'missing.yaml'", "--config", "missing.yaml"),
        bad("--config: expected a .yaml, .yml or .json file, got '" + text + "'",
            "--config", text.toString()),
        bad(unparseable + ": cannot parse as yaml: ", "--config", unparseable.toString()),
        bad(json + ": cannot parse as json: ", "--config", json.toString()),
        bad("Unknown options: '--colour', 'blue' (see --help)", "--colour", "blue"),
        bad("Unknown option: '--colour=blue' (see --help)", "node", "--colour=blue"),
        bad("Missing required parameter for option '--http-port' (<port>) (see --help)",
            "--http-port"),
        bad("Unmatched argument at index 0: 'start' (see --help)", "start"));
  }

  private static Arguments bad(String expectedMessage, String... args) {
    return Arguments.of(String.join(" ", args), expectedMessage, args);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInput")
  @DisplayName("a bad value exits 2 with one line on stderr and starts no node")
  void badInputIsOneLineAndExitTwo(String label, String expectedMessage, String[] args) {
    int exitCode = run(args);

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString().lines()).singleElement(STRING)
        .startsWith("todo-cluster: " + expectedMessage);
    assertThat(out.toString()).isEmpty();
    assertThat(launched).as("no node is started").isEmpty();
  }

  @Test
  @DisplayName("a bad environment variable exits 2 and names the variable")
  void badEnvironmentVariable() {
    int exitCode = run(Map.of("TODO_HTTP_PORT", "eighty"));

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("todo-cluster: TODO_HTTP_PORT: expected a port 0..65535, got 'eighty'"
            + System.lineSeparator());
    assertThat(launched).isEmpty();
  }
}
