package io.todocluster.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.todocluster.cli.ConfigLoader;
import io.todocluster.cli.InvalidConfigException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The packet-capture test's plain-text switch")
class PlaintextSwitchTest {

  private static final String SWITCH = "todo.test.plaintext-cluster";

  @AfterEach
  void clear() {
    System.clearProperty(SWITCH);
  }

  @Test
  @DisplayName("lets a node bind off loopback without a secret only as a JVM system property, never from env or flags")
  void onlyTheSystemPropertyOpensIt() {
    Map<String, String> bind = Map.of("cluster-host", "198.18.0.10");
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(bind)).isInstanceOf(InvalidConfigException.class);
    // not a config key: as an env var or a flag it is refused, not honoured
    assertThatThrownBy(() -> new ConfigLoader(Map.of("TODO_TEST_PLAINTEXT_CLUSTER", "true")).load(bind))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Map.of("cluster-host", "198.18.0.10", SWITCH, "true")))
        .isInstanceOf(InvalidConfigException.class);

    System.setProperty(SWITCH, "true");
    assertThat(new ConfigLoader(Map.of()).load(bind).secret()).isNull();
  }
}
