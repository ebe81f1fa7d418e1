package io.todocluster.cluster;

import java.nio.file.Path;
import java.util.List;

/**
 * What the cluster layer is told of a member: how it finds and talks to its peers, where its
 * persistent state lives and how many copies the distributed caches keep. An application builds
 * it from its own configuration; nothing here knows what the caches hold.
 *
 * @param name the member's name (its incarnation adds a suffix, see {@link ClusterManagerFactory})
 * @param host the address JGroups binds and advertises
 * @param port the JGroups TCP port
 * @param seeds {@code host:port} of other members, for TCPPING
 * @param discovery how peers are found
 * @param dnsQuery the DNS name whose A records are the peers, with {@link Discovery#DNS}
 * @param secret the shared cluster secret, or null for plain text (loopback only)
 * @param dataDir the member's data directory
 * @param owners copies of each entry in the distributed caches the application names
 */
public record ClusterSettings(String name, String host, int port, List<String> seeds, Discovery discovery,
    String dnsQuery, String secret, Path dataDir, int owners) {

  /** How a member finds its peers: static seeds (JGroups TCPPING) or DNS A records (DNS_PING). */
  public enum Discovery { TCPPING, DNS }

  /** Where Infinispan's global state and the persisted caches' directories are, one per cache. */
  public Path storeRoot() {
    return dataDir.resolve("infinispan");
  }
}
