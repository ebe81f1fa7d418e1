package io.todocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.todocluster.cluster.ClusterSettings;
import io.todocluster.node.NodeConfig;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The discovery options")
class DiscoveryConfigTest {

  private static final Map<String, String> NO_ENV = Map.of("HOSTNAME", "box");

  @Test
  @DisplayName("by default a node finds its peers through its seeds and has no DNS query")
  void tcppingByDefault() {
    NodeConfig config = new ConfigLoader(NO_ENV).load(Map.of());

    assertThat(config.discovery()).isEqualTo(ClusterSettings.Discovery.TCPPING);
    assertThat(config.dnsQuery()).isNull();
  }

  @Test
  @DisplayName("TODO_DISCOVERY=dns with TODO_DNS_QUERY selects DNS discovery; a flag wins over both")
  void dnsFromEnvironment() {
    ConfigLoader loader = new ConfigLoader(Map.of("TODO_DISCOVERY", "DNS",
        "TODO_DNS_QUERY", "todo-cluster-headless.prod.svc.cluster.local"));

    NodeConfig fromEnv = loader.load(Map.of());
    NodeConfig fromFlag = loader.load(Map.of("discovery", "tcpping"));

    assertThat(fromEnv.discovery()).isEqualTo(ClusterSettings.Discovery.DNS);
    assertThat(fromEnv.dnsQuery()).isEqualTo("todo-cluster-headless.prod.svc.cluster.local");
    assertThat(fromFlag.discovery()).isEqualTo(ClusterSettings.Discovery.TCPPING);
  }

  @Test
  @DisplayName("DNS discovery without a query, or an unknown discovery, is a one-line error naming its source")
  void badDiscovery() {
    assertThatThrownBy(() -> new ConfigLoader(NO_ENV).load(Map.of("discovery", "dns")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("--dns-query: discovery dns needs a DNS name");
    assertThatThrownBy(() -> new ConfigLoader(Map.of("TODO_DISCOVERY", "kubernetes")).load(Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("TODO_DISCOVERY: expected tcpping or dns, got 'kubernetes'");
    assertThatThrownBy(() -> new ConfigLoader(NO_ENV).load(Map.of("discovery", "dns", "dns-query", "a b")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("--dns-query: expected a DNS name, got 'a b'");
  }
}
