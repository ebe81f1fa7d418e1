package io.todocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.node.ConfigKeys;
import io.todocluster.node.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("config/application.yaml")
class ApplicationYamlTest {

  /** Tests run in the project's directory (Maven's basedir). */
  private static final Path FILE = Path.of("config", "application.yaml");
  private static final Map<String, String> ENV = Map.of("HOSTNAME", "box");

  @Test
  @DisplayName("loaded with --config, it yields exactly the configuration of the built-in defaults")
  void yieldsTheDefaults() {
    NodeConfig fromFile = new ConfigLoader(ENV).load(Map.of(ConfigKeys.CONFIG, FILE.toString()));
    NodeConfig defaults = new ConfigLoader(ENV).load(Map.of());

    assertThat(fromFile).isEqualTo(defaults);
  }

  @Test
  @DisplayName("it names every option, as a key or, for those without a writable default, as a comment")
  void namesEveryOption() throws IOException {
    List<String> lines = Files.readAllLines(FILE);

    for (String key : ConfigKeys.NODE_KEYS) {
      Pattern option = Pattern.compile("^(# )?" + Pattern.quote(key) + ":.*");
      assertThat(lines).as("option %s", key).anyMatch(line -> option.matcher(line).matches());
    }
  }

  @Test
  @DisplayName("every option it sets is one the loader knows, and its value is the code's default")
  void setsOnlyDefaults() throws IOException {
    Map<String, Object> defaults = Map.of(
        ConfigKeys.HTTP_HOST, ConfigLoader.DEFAULT_HTTP_HOST,
        ConfigKeys.HTTP_PORT, ConfigLoader.DEFAULT_HTTP_PORT,
        ConfigKeys.CLUSTER_HOST, ConfigLoader.DEFAULT_CLUSTER_HOST,
        ConfigKeys.CLUSTER_PORT, ConfigLoader.DEFAULT_CLUSTER_PORT,
        ConfigKeys.BUS_PORT, ConfigLoader.DEFAULT_BUS_PORT,
        ConfigKeys.BRIDGE_PORT, ConfigLoader.DEFAULT_BRIDGE_PORT,
        ConfigKeys.DATA_DIR, ConfigLoader.DEFAULT_DATA_DIR,
        ConfigKeys.ROLE, ConfigLoader.DEFAULT_ROLE,
        ConfigKeys.OWNERS, ConfigLoader.DEFAULT_OWNERS,
        ConfigKeys.IDLE_TIMEOUT, ConfigLoader.DEFAULT_IDLE_TIMEOUT);
    Map<String, Object> defaultsToo = Map.of(
        ConfigKeys.DISCOVERY, ConfigLoader.DEFAULT_DISCOVERY,
        ConfigKeys.SEEDS, ConfigLoader.DEFAULT_SEEDS,
        ConfigKeys.DNS_QUERY, ConfigLoader.DEFAULT_DNS_QUERY,
        ConfigKeys.RATE_LIMIT, ConfigLoader.DEFAULT_RATE_LIMIT,
        ConfigKeys.FSYNC, ConfigLoader.DEFAULT_FSYNC);
    Map<String, Object> file = new org.yaml.snakeyaml.Yaml().load(Files.readString(FILE));

    assertThat(ConfigKeys.NODE_KEYS).containsAll(file.keySet());
    file.forEach((key, value) -> {
      Object expected = defaults.containsKey(key) ? defaults.get(key) : defaultsToo.get(key);
      assertThat(value).as(key).isEqualTo(expected);
    });
  }
}
