package io.todocluster.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;
import org.infinispan.remoting.transport.jgroups.EmbeddedJGroupsChannelConfigurator;
import org.jgroups.conf.ProtocolConfiguration;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.jgroups.stack.Protocol;

/**
 * JGroups encryption for a node with a cluster secret: SYM_ENCRYPT with an AES key derived from the
 * secret, placed directly above the transport (and its RED), with SERIALIZE above it, so that every
 * message of every protocol above, headers included, is encrypted: discovery, merge, heartbeats,
 * views, and Infinispan's data.
 * A message that does not carry SYM_ENCRYPT's header with our key's version is dropped before any
 * protocol above sees it, so a node without the key can neither discover nor join the members.
 * What it does not cover (FD_SOCK2's own sockets, TCP's connection preamble) is in SECURITY.md.
 */
final class ClusterEncryption {

  static final String PROTOCOL = "SYM_ENCRYPT";
  static final String SERIALIZE = "SERIALIZE";
  /** JGroups 5.2's default "AES" means ECB, which leaks equal blocks; CBC with a random IV does not. */
  static final String ALGORITHM = "AES/CBC/PKCS5Padding";
  static final String IV_LENGTH = "16";

  private ClusterEncryption() {
  }

  /** Inserts SYM_ENCRYPT right above the transport's own layers (TCP, then RED if present). */
  static void insertInto(List<ProtocolConfiguration> protocols) {
    int position = 1;
    if (protocols.size() > 1 && protocols.get(1).getProtocolName().equals("RED")) {
      position = 2;
    }
    Map<String, String> properties = new HashMap<>();
    properties.put("sym_algorithm", ALGORITHM);
    properties.put("sym_iv_length", IV_LENGTH);
    protocols.add(position, new ProtocolConfiguration(PROTOCOL, properties));
    // SYM_ENCRYPT encrypts payloads only and passes a message without payload up as it is; SERIALIZE
    // above it makes every message (its headers included) the payload of a new one, so nothing
    // reaches the protocols above unless it decrypted under our key
    protocols.add(position + 1, new ProtocolConfiguration(SERIALIZE, new HashMap<>()));
  }

  /**
   * A channel configurator that hands SYM_ENCRYPT its key as soon as JGroups has created it, before
   * its init() would look for a key store: the key exists only in this process's memory.
   */
  static EmbeddedJGroupsChannelConfigurator configurator(String stack, List<ProtocolConfiguration> protocols,
      SecretKey key) {
    return new EmbeddedJGroupsChannelConfigurator(stack, protocols, null) {
      @Override
      public void afterCreation(Protocol protocol) {
        super.afterCreation(protocol);
        if (protocol instanceof SYM_ENCRYPT encrypt) {
          encrypt.setSecretKey(key);
        }
      }
    };
  }
}
