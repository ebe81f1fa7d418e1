package io.todocluster.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Keys derived from the cluster secret")
class ClusterSecretTest {

  private static final ClusterSecret SECRET = ClusterSecret.derive("s3cret");

  @Test
  @DisplayName("are the same for the same secret on every node and differ for another secret")
  void deterministicPerSecret() {
    ClusterSecret again = ClusterSecret.derive("s3cret");
    ClusterSecret other = ClusterSecret.derive("s3cret!");
    assertThat(again.jgroupsKey().getEncoded()).isEqualTo(SECRET.jgroupsKey().getEncoded()).hasSize(32);
    assertThat(other.jgroupsKey().getEncoded()).isNotEqualTo(SECRET.jgroupsKey().getEncoded());
    assertThat(ClusterCa.of(again).certificate().getPublicKey())
        .isEqualTo(ClusterCa.of(SECRET).certificate().getPublicKey());
    assertThat(ClusterCa.of(other).certificate().getPublicKey())
        .isNotEqualTo(ClusterCa.of(SECRET).certificate().getPublicKey());
    assertThat(SECRET.caKeyMaterial()).isNotEqualTo(SECRET.jgroupsKey().getEncoded());
    assertThat(SECRET.toString()).doesNotContain("s3cret");
  }

  @Test
  @DisplayName("issue node certificates that another node's CA (same secret) validates, and a wrong secret's CA does not")
  void certificatesValidateOnlyUnderTheSameSecret() throws Exception {
    X509Certificate node = ClusterCa.of(SECRET).issue("n1").certificate();
    // what TLS does with the peer's certificate: PKIX against the CA this node made itself
    validate(node, ClusterCa.of(ClusterSecret.derive("s3cret")).certificate());
    assertThatThrownBy(() -> validate(node, ClusterCa.of(ClusterSecret.derive("other")).certificate()))
        .isInstanceOf(CertPathValidatorException.class);
  }

  @Test
  @DisplayName("refuse an empty secret")
  void emptySecretIsRefused() {
    assertThatThrownBy(() -> ClusterSecret.derive("")).isInstanceOf(IllegalArgumentException.class);
  }

  private static void validate(X509Certificate certificate, X509Certificate anchor) throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(
        CertificateFactory.getInstance("X.509").generateCertPath(List.of(certificate)), parameters);
  }
}
