package io.todocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.todocluster.cluster.ClusterSettings;
import io.todocluster.node.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("ConfigLoader")
class ConfigLoaderTest {

  private static final Map<String, String> NO_ENV = Map.of("HOSTNAME", "box");

  @TempDir
  Path dir;

  @Test
  @DisplayName("with nothing given, every value is the documented default")
  void defaults() {
    NodeConfig config = new ConfigLoader(NO_ENV).load(Map.of());

    assertThat(config).isEqualTo(new NodeConfig("box-7800", "0.0.0.0", 8080, "127.0.0.1", 7800,
        0, List.of(), 7000, Path.of("./data"), NodeConfig.Role.SERVER, null,
        Duration.ofSeconds(60), 2, false, ClusterSettings.Discovery.TCPPING, null, 0, false));
  }

  @Test
  @DisplayName("a YAML file overrides defaults, env overrides the file, a flag overrides env")
  void precedenceWithYaml() throws IOException {
    Path file = write("node.yaml", """
        http-port: 9001
        cluster-port: 9002
        bus-port: 9003
        role: client
        """);
    Map<String, String> env = Map.of("HOSTNAME", "box", "TODO_CONFIG", file.toString(),
        "TODO_CLUSTER_PORT", "8002", "TODO_BUS_PORT", "8003");

    NodeConfig config = new ConfigLoader(env).load(Map.of("bus-port", "7003"));

    assertThat(config.role()).as("file over default").isEqualTo(NodeConfig.Role.CLIENT);
    assertThat(config.httpPort()).as("file over default").isEqualTo(9001);
    assertThat(config.clusterPort()).as("env over file").isEqualTo(8002);
    assertThat(config.busPort()).as("flag over env").isEqualTo(7003);
    assertThat(config.owners()).as("default when nobody says").isEqualTo(2);
    assertThat(config.name()).as("default name follows the chosen cluster port")
        .isEqualTo("box-8002");
  }

  @Test
  @DisplayName("a JSON file is read like a YAML one, and --config wins over TODO_CONFIG")
  void precedenceWithJson() throws IOException {
    Path json = write("node.json", """
        {"name": "from-file", "idle-timeout": "5m", "data-dir": "/var/todo", "owners": 3}
        """);
    Path ignored = write("other.yaml", "name: from-env-file\n");
    Map<String, String> env = Map.of("TODO_CONFIG", ignored.toString(), "TODO_OWNERS", "4");

    NodeConfig config = new ConfigLoader(env)
        .load(Map.of("config", json.toString(), "idle-timeout", "500ms"));

    assertThat(config.name()).isEqualTo("from-file");
    assertThat(config.dataDir()).isEqualTo(Path.of("/var/todo"));
    assertThat(config.owners()).as("env over file").isEqualTo(4);
    assertThat(config.idleTimeout()).as("flag over file").isEqualTo(Duration.ofMillis(500));
  }

  @Test
  @DisplayName("seeds come as a comma list from flags and env, or as a list in a file")
  void seedsInEveryForm() throws IOException {
    Path file = write("seeds.yaml", """
        seeds:
          - a.example:7800
          - "[::1]:7801"
        """);

    assertThat(new ConfigLoader(NO_ENV).load(Map.of("config", file.toString())).seeds())
        .containsExactly("a.example:7800", "[::1]:7801");
    assertThat(new ConfigLoader(Map.of("TODO_SEEDS", " 10.0.0.1:7800 , b:7800"))
        .load(Map.of()).seeds()).containsExactly("10.0.0.1:7800", "b:7800");
  }

  @Test
  @DisplayName("a cluster bound off loopback is accepted only with a secret, and a blank secret is none")
  void secretGuardsNonLoopbackBind() {
    ConfigLoader withSecret = new ConfigLoader(Map.of("TODO_SECRET", "s3cret"));
    assertThat(withSecret.load(Map.of("cluster-host", "0.0.0.0")).secret()).isEqualTo("s3cret");

    ConfigLoader blankSecret = new ConfigLoader(Map.of("TODO_SECRET", " "));
    assertThat(blankSecret.load(Map.of()).secret()).isNull();
    assertThatThrownBy(() -> blankSecret.load(Map.of("cluster-host", "10.1.2.3")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("--cluster-host: binding '10.1.2.3' (not loopback) needs");
  }

  @Test
  @DisplayName("an error names the layer the bad value came from")
  void errorsNameTheirSource() throws IOException {
    Path file = write("bad.yaml", "owners: 0\n");

    assertThatThrownBy(() -> new ConfigLoader(Map.of("TODO_HTTP_PORT", "http")).load(Map.of()))
        .hasMessage("TODO_HTTP_PORT: expected a port 0..65535, got 'http'");
    assertThatThrownBy(() -> new ConfigLoader(NO_ENV).load(Map.of("config", file.toString())))
        .hasMessage("owners in " + file + ": expected a number of copies >= 2, got '0'");
  }

  @Test
  @DisplayName("a key the file should not have is reported, not ignored")
  void unknownFileKey() throws IOException {
    Path file = write("typo.yaml", "http_port: 8081\n");

    assertThatThrownBy(() -> new ConfigLoader(NO_ENV).load(Map.of("config", file.toString())))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("http_port in " + file + ": unknown key, expected one of name,");
  }

  @Test
  @DisplayName("an empty YAML file is no configuration, not an error")
  void emptyYamlFile() throws IOException {
    Path file = write("empty.yaml", "");

    assertThat(new ConfigLoader(NO_ENV).load(Map.of("config", file.toString())).httpPort())
        .isEqualTo(8080);
  }

  @Test
  @DisplayName("the dashboard's crash button is on by default only when HTTP is bound to loopback, and can be set either way")
  void dashboardCrash() {
    ConfigLoader loader = new ConfigLoader(NO_ENV);
    assertThat(loader.load(Map.of()).dashboardCrash()).as("default on 0.0.0.0").isFalse();
    assertThat(loader.load(Map.of("http-host", "127.0.0.1")).dashboardCrash()).as("default on loopback").isTrue();
    assertThat(loader.load(Map.of("http-host", "127.0.0.1", "dashboard-crash", "false")).dashboardCrash()).isFalse();
    assertThat(new ConfigLoader(Map.of("TODO_DASHBOARD_CRASH", "TRUE")).load(Map.of()).dashboardCrash()).isTrue();
    assertThatThrownBy(() -> loader.load(Map.of("dashboard-crash", "yes")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("--dashboard-crash: expected true or false, got 'yes'");
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }
}
