package io.todocluster.security;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The event bus's certificate authority, computed from the cluster secret rather than run by
 * anyone: its EC private key is a number derived from the secret, so every member holds the same
 * CA key and nobody else does. At start a node makes a fresh key pair of its own and a certificate
 * for it signed by that CA; it trusts exactly the CA. A peer without the secret cannot obtain a
 * certificate the members accept, and TLS proves that a peer holds its certificate's private key.
 */
public final class ClusterCa {

  static final String CURVE = "secp256r1";
  static final String SIGNATURE = "SHA256withECDSA";
  /** Every member must name the CA alike: trust anchors are found by this name, then checked by key. */
  static final X500Name CA_NAME = new X500Name("CN=todo-cluster event bus CA,O=todo-cluster");
  // a clock set back a little on one node must not make its peers' fresh certificates "not yet valid"
  private static final Duration CLOCK_SKEW = Duration.ofDays(1);
  // certificates live as long as the process that made them; ten years is "does not expire" for them
  private static final Duration LIFETIME = Duration.ofDays(3650);

  private final KeyPair caKeys;
  private final X509Certificate caCertificate;

  private ClusterCa(KeyPair caKeys, X509Certificate caCertificate) {
    this.caKeys = caKeys;
    this.caCertificate = caCertificate;
  }

  public static ClusterCa of(ClusterSecret secret) {
    KeyPair caKeys = derivedKeyPair(secret.caKeyMaterial());
    X509Certificate certificate = sign(CA_NAME, CA_NAME, caKeys.getPublic(), caKeys.getPrivate(), true);
    return new ClusterCa(caKeys, certificate);
  }

  public X509Certificate certificate() {
    return caCertificate;
  }

  /** A fresh key pair for one node and its certificate, issued by this CA. */
  public Issued issue(String nodeName) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(CURVE));
      KeyPair keys = generator.generateKeyPair();
      X500Name subject = new X500Name("CN=" + nodeName.replaceAll("[^A-Za-z0-9._-]", "-") + ",O=todo-cluster member");
      return new Issued(keys.getPrivate(), sign(subject, CA_NAME, keys.getPublic(), caKeys.getPrivate(), false));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make this node's event bus key", e);
    }
  }

  /** A node's private key and its certificate. */
  public record Issued(PrivateKey key, X509Certificate certificate) {
  }

  /** The P-256 key pair whose private key is {@code material} mod (n - 1), plus 1. */
  static KeyPair derivedKeyPair(byte[] material) {
    try {
      var curve = ECNamedCurveTable.getParameterSpec(CURVE);
      BigInteger d = new BigInteger(1, material).mod(curve.getN().subtract(BigInteger.ONE)).add(BigInteger.ONE);
      ECPoint q = curve.getG().multiply(d).normalize();
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec(CURVE));
      ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
      KeyFactory factory = KeyFactory.getInstance("EC");
      PrivateKey privateKey = factory.generatePrivate(new ECPrivateKeySpec(d, spec));
      PublicKey publicKey = factory.generatePublic(new ECPublicKeySpec(new java.security.spec.ECPoint(
          q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), spec));
      return new KeyPair(publicKey, privateKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM lacks " + CURVE, e);
    }
  }

  private static X509Certificate sign(X500Name subject, X500Name issuer, PublicKey subjectKey, PrivateKey issuerKey,
      boolean ca) {
    try {
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
          new BigInteger(127, new SecureRandom()), Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(LIFETIME)),
          subject, subjectKey);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca
          ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(issuerKey)));
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new IllegalStateException("cannot sign an event bus certificate", e);
    }
  }
}
