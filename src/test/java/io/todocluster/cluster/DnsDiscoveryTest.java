package io.todocluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.jgroups.JChannel;
import org.jgroups.conf.ProtocolConfiguration;
import org.jgroups.conf.ProtocolStackConfigurator;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.dns.DNS_PING;
import org.jgroups.stack.Protocol;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The JGroups discovery a node is configured with")
class DnsDiscoveryTest {

  private static final String QUERY = "todo-cluster-headless.todo.svc.cluster.local";
  private static final ClassLoader LOADER = DnsDiscoveryTest.class.getClassLoader();

  @Test
  @DisplayName("discovery dns puts DNS_PING with the query, for A records, where TCPPING was")
  void dnsReplacesTcpping() {
    List<ProtocolConfiguration> tcpping = ClusterManagerFactory.protocolStack(LOADER, config(ClusterSettings.Discovery.TCPPING, null));
    List<ProtocolConfiguration> dns = ClusterManagerFactory.protocolStack(LOADER, config(ClusterSettings.Discovery.DNS, QUERY));

    assertThat(names(dns)).doesNotContain("TCPPING").contains(ClusterManagerFactory.DNS_PING);
    int position = names(tcpping).indexOf("TCPPING");
    assertThat(position).as("the default stack has TCPPING").isNotNegative();
    assertThat(names(dns).get(position)).as("in TCPPING's place").isEqualTo(ClusterManagerFactory.DNS_PING);
    assertThat(names(dns)).hasSameSizeAs(names(tcpping));
    ProtocolConfiguration dnsPing = dns.get(position);
    assertThat(dnsPing.getProperties())
        .containsEntry("dns_query", QUERY)
        .containsEntry("dns_record_type", "A");
  }

  @Test
  @DisplayName("discovery tcpping keeps TCPPING, with this node and its seeds as the initial hosts, and no DNS_PING")
  void tcppingByDefault() {
    ClusterSettings config = new ClusterSettings("a", "127.0.0.1", 7801, List.of("127.0.0.1:7802"),
        ClusterSettings.Discovery.TCPPING, null, null, Path.of("data"), 2);

    List<ProtocolConfiguration> stack = ClusterManagerFactory.protocolStack(LOADER, config);

    assertThat(names(stack)).contains("TCPPING").doesNotContain(ClusterManagerFactory.DNS_PING);
    assertThat(protocol(stack, "TCPPING").getProperties()).containsEntry("initial_hosts", "127.0.0.1[7801],127.0.0.1[7802]");
  }

  /**
   * JGroups builds and initialises every protocol of the stack without connecting: an unknown
   * property name or a DNS_PING without a query would fail here. No DNS lookup happens before
   * connect, and nothing is bound.
   */
  @Test
  @DisplayName("JGroups accepts the DNS stack: the channel's protocols are DNS_PING and not TCPPING")
  void jgroupsBuildsTheDnsStack() throws Exception {
    List<ProtocolConfiguration> dns = ClusterManagerFactory.protocolStack(LOADER, config(ClusterSettings.Discovery.DNS, QUERY));

    ProtocolStackConfigurator configurator = new ProtocolStackConfigurator() {
      @Override
      public String getProtocolStackString() {
        return dns.toString();
      }

      @Override
      public List<ProtocolConfiguration> getProtocolStack() {
        return dns;
      }
    };
    try (JChannel channel = new JChannel(configurator)) {
      DNS_PING dnsPing = channel.getProtocolStack().findProtocol(DNS_PING.class);
      assertThat(dnsPing).isNotNull();
      assertThat(dnsPing.getValue("dns_query")).isEqualTo(QUERY);
      assertThat(dnsPing.getValue("dns_record_type")).isEqualTo("A");
      assertThat((Protocol) channel.getProtocolStack().findProtocol(TCPPING.class)).isNull();
    }
  }

  /** No secret: these tests are about discovery; with a secret the stack also encrypts (ClusterEncryptionTest). */
  private static ClusterSettings config(ClusterSettings.Discovery discovery, String dnsQuery) {
    return new ClusterSettings("a", "127.0.0.1", 7800, List.of(), discovery, dnsQuery, null, Path.of("data"), 2);
  }

  private static ProtocolConfiguration protocol(List<ProtocolConfiguration> stack, String name) {
    return stack.stream().filter(p -> p.getProtocolName().equals(name)).findFirst().orElseThrow();
  }

  private static List<String> names(List<ProtocolConfiguration> stack) {
    return stack.stream().map(ProtocolConfiguration::getProtocolName).toList();
  }
}
