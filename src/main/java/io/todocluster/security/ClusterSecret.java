package io.todocluster.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys every member derives from the cluster secret ({@code --secret} / {@code TODO_SECRET}).
 * One slow derivation (PBKDF2) turns the secret, which an operator may have chosen weak, into a
 * master key; each use then gets its own key from it (HMAC with a label), so that the JGroups key
 * and the event bus's certificate key are independent. Every member computes the same keys, so
 * nothing but the secret has to be distributed. The salt and iteration count are fixed (written in
 * SECURITY.md): all members must agree on them without talking to each other first.
 */
public final class ClusterSecret {

  static final String KDF = "PBKDF2WithHmacSHA256";
  /** Fixed and public: a salt that differs per cluster would have to be distributed like the secret. */
  static final byte[] SALT = "todo-cluster/v1/cluster-secret".getBytes(StandardCharsets.UTF_8);
  /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; costs 0.5 to 2.7 s once per node start on a loaded 2-core machine. */
  static final int ITERATIONS = 600_000;
  private static final String HMAC = "HmacSHA256";

  private final byte[] master;

  private ClusterSecret(byte[] master) {
    this.master = master;
  }

  /** Derives the master key (slow on purpose: call it off the event loop). */
  public static ClusterSecret derive(String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("a cluster secret must not be empty");
    }
    PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), SALT, ITERATIONS, 256);
    try {
      return new ClusterSecret(SecretKeyFactory.getInstance(KDF).generateSecret(spec).getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM lacks " + KDF, e);
    } finally {
      spec.clearPassword();
    }
  }

  /** The AES-256 key of JGroups' SYM_ENCRYPT. */
  public SecretKey jgroupsKey() {
    return new SecretKeySpec(subKey("jgroups/sym-encrypt"), "AES");
  }

  /**
   * 512 bits from which the cluster CA's private key is made (reduced modulo the curve order, so
   * that the bias is negligible): every member derives the same CA key, and no one else can.
   */
  public byte[] caKeyMaterial() {
    byte[] first = subKey("eventbus/ca-key/1");
    byte[] second = subKey("eventbus/ca-key/2");
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  private byte[] subKey(String label) {
    return hmac(master, label.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM lacks " + HMAC, e);
    }
  }

  @Override
  public String toString() {
    return "ClusterSecret[hidden]";
  }
}
