package io.todocluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
    List<ProtocolConfiguration> stack = ClusterManagerFactory.protocolStack(LOADER, config(null));
    assertThat(names(stack)).doesNotContain(ClusterEncryption.PROTOCOL);
    assertThat(stack.get(0).getProperties()).containsEntry("diag.enabled", "false");
  }

  @Test
  @DisplayName("with a secret has SYM_ENCRYPT in AES-CBC right above TCP and RED, SERIALIZE above it, both below discovery, NAKACK2 and UNICAST3")
  void encryptedWithSecret() {
    List<ProtocolConfiguration> stack = ClusterManagerFactory.protocolStack(LOADER, config("s3cret"));
    List<String> names = names(stack);
    assertThat(names.subList(0, 5)).containsExactly("TCP", "RED", ClusterEncryption.PROTOCOL, "SERIALIZE", "TCPPING");
    assertThat(names.indexOf(ClusterEncryption.PROTOCOL)).isLessThan(names.indexOf("pbcast.NAKACK2"))
        .isLessThan(names.indexOf("UNICAST3"));
    assertThat(stack.get(2).getProperties()).containsEntry("sym_algorithm", "AES/CBC/PKCS5Padding")
        .doesNotContainKey("keystore_name");
    assertThat(stack.get(0).getProperties()).containsEntry("diag.enabled", "false");
  }

  private static ClusterSettings config(String secret) {
    return new ClusterSettings("n", "127.0.0.1", 7800, List.of(), ClusterSettings.Discovery.TCPPING, null, secret,
        Path.of("data"), 2);
  }

  private static List<String> names(List<ProtocolConfiguration> stack) {
    return stack.stream().map(ProtocolConfiguration::getProtocolName).toList();
  }
}
