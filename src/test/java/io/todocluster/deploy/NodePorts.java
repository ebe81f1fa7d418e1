package io.todocluster.deploy;

import io.todocluster.node.NodeConfig;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import org.jgroups.conf.ProtocolConfiguration;
import org.jgroups.conf.XmlConfigurator;
import org.jgroups.protocols.FD_SOCK2;

/** The ports a node listens on, by the names the manifests give them, as the code decides them. */
final class NodePorts {

  static final String HTTP = "http";
  static final String JGROUPS = "jgroups";
  static final String FD_SOCK = "fd-sock";
  static final String BRIDGE = "bridge";

  private NodePorts() {
  }

  /** {@code http -> 8080, jgroups -> 7800, fd-sock -> 7900, bridge -> 7000} for the defaults. */
  static Map<String, Integer> of(NodeConfig config) {
    Map<String, Integer> ports = new TreeMap<>();
    ports.put(HTTP, config.httpPort());
    ports.put(JGROUPS, config.clusterPort());
    ports.put(FD_SOCK, config.clusterPort() + fdSockOffset());
    ports.put(BRIDGE, config.bridgePort());
    return ports;
  }

  /** FD_SOCK2 listens on the transport's port plus its offset: todo-jgroups.xml's, else JGroups' default. */
  static int fdSockOffset() {
    try (InputStream in = NodePorts.class.getClassLoader().getResourceAsStream("todo-jgroups.xml")) {
      for (ProtocolConfiguration protocol : XmlConfigurator.getInstance(in).getProtocolStack()) {
        if (protocol.getProtocolName().equals("FD_SOCK2")) {
          String offset = protocol.getProperties().get("offset");
          return offset != null ? Integer.parseInt(offset) : new FD_SOCK2().getOffset();
        }
      }
      throw new AssertionError("todo-jgroups.xml has no FD_SOCK2");
    } catch (Exception e) {
      throw new IllegalStateException("cannot read todo-jgroups.xml", e);
    }
  }
}
