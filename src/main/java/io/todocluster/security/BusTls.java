package io.todocluster.security;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Set;

/**
 * TLS for the clustered event bus: both ends show a certificate issued by the {@link ClusterCa}
 * and trust that CA alone, so a connection from anyone without the cluster secret ends in the
 * handshake, before a single event bus frame is read. The key material is handed over as PEM
 * values: Vert.x builds the bus's server and client options from the event bus options' JSON,
 * which keeps PEM values but drops a programmatic key or trust manager.
 */
public final class BusTls {

  /** TLS 1.3 only: every JDK 17 has it, and it leaves no older protocol to downgrade to. */
  static final String PROTOCOL = "TLSv1.3";

  private BusTls() {
  }

  /** Turns TLS with mutual member authentication on in {@code options} (call off the event loop). */
  public static EventBusOptions secure(EventBusOptions options, ClusterSecret secret, String nodeName) {
    ClusterCa ca = ClusterCa.of(secret);
    ClusterCa.Issued issued = ca.issue(nodeName);
    return options.setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setEnabledSecureTransportProtocols(Set.of(PROTOCOL))
        .setKeyCertOptions(keyCert(issued))
        .setTrustOptions(new PemTrustOptions().addCertValue(pem("CERTIFICATE", encoded(ca.certificate()))));
  }

  /** A node's key and certificate as Vert.x PEM options (tests use it to play a client). */
  public static PemKeyCertOptions keyCert(ClusterCa.Issued issued) {
    return new PemKeyCertOptions()
        .addKeyValue(pem("PRIVATE KEY", issued.key().getEncoded()))
        .addCertValue(pem("CERTIFICATE", encoded(issued.certificate())));
  }

  static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode an event bus certificate", e);
    }
  }

  static Buffer pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(der);
    return Buffer.buffer("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
  }
}
