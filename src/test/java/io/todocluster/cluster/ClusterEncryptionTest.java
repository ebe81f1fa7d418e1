package io.todocluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.node.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jgroups.conf.ProtocolConfiguration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The JGroups stack")
class ClusterEncryptionTest {

  private static final ClassLoader LOADER = ClusterEncryptionTest.class.getClassLoader();

  @Test
  @DisplayName("has no SYM_ENCRYPT without a secret, and keeps diagnostics off")
  void plainWithoutSecret() {
    List<ProtocolConfiguration> stack = ClusterManagerFactory.protocolStack(LOADER, config(null).cluster());
    assertThat(names(stack)).doesNotContain(ClusterEncryption.PROTOCOL);
    assertThat(stack.get(0).getProperties()).containsEntry("diag.enabled", "false");
  }

  @Test
  @DisplayName("with a secret has SYM_ENCRYPT in AES-CBC right above TCP and RED, SERIALIZE above it, both below discovery, NAKACK2 and UNICAST3")
  void encryptedWithSecret() {
    List<ProtocolConfiguration> stack = ClusterManagerFactory.protocolStack(LOADER, config("s3cret").cluster());
    List<String> names = names(stack);
    assertThat(names.subList(0, 5)).containsExactly("TCP", "RED", ClusterEncryption.PROTOCOL, "SERIALIZE", "TCPPING");
    assertThat(names.indexOf(ClusterEncryption.PROTOCOL)).isLessThan(names.indexOf("pbcast.NAKACK2"))
        .isLessThan(names.indexOf("UNICAST3"));
    assertThat(stack.get(2).getProperties()).containsEntry("sym_algorithm", "AES/CBC/PKCS5Padding")
        .doesNotContainKey("keystore_name");
    assertThat(stack.get(0).getProperties()).containsEntry("diag.enabled", "false");
  }

  private static NodeConfig config(String secret) {
    return new NodeConfig("n", "127.0.0.1", 0, "127.0.0.1", 7800, 0, List.of(), 0, Path.of("data"),
        NodeConfig.Role.SERVER, secret, Duration.ofSeconds(60), 2);
  }

  private static List<String> names(List<ProtocolConfiguration> stack) {
    return stack.stream().map(ProtocolConfiguration::getProtocolName).toList();
  }
}
