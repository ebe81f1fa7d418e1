package io.todocluster.jepsen;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load balancer on the client side, as in front of a rolling restart: each request goes to the
 * next node in rotation (round robin); a node is taken out of rotation before it is stopped and
 * put back once it is ready again (the harness does both, see {@code Matrix.Cluster}). Not a
 * process of its own: {@link Clients} asks it for a node before every request, so a node out of
 * rotation gets no new request from the moment it is taken out.
 */
final class Balancer implements Clients.Route {

  private final Map<String, URI> nodes;
  private final Set<String> inRotation = ConcurrentHashMap.newKeySet();
  private final AtomicLong next = new AtomicLong();

  /** @param nodes node name -> base URI of its HTTP API; all start in rotation */
  Balancer(Map<String, URI> nodes) {
    this.nodes = new LinkedHashMap<>(nodes);
    inRotation.addAll(nodes.keySet());
  }

  void remove(String node) {
    inRotation.remove(node);
  }

  void add(String node) {
    if (!nodes.containsKey(node)) {
      throw new IllegalArgumentException("unknown node " + node);
    }
    inRotation.add(node);
  }

  Set<String> inRotation() {
    return Set.copyOf(inRotation);
  }

  /** The next node in rotation, in the nodes' order; none in rotation is a mistake of the schedule. */
  @Override
  public Clients.Target next() {
    List<String> live = new ArrayList<>(nodes.keySet());
    live.retainAll(inRotation);
    if (live.isEmpty()) {
      throw new IllegalStateException("no node in rotation: the schedule took every node out");
    }
    String node = live.get((int) Math.floorMod(next.getAndIncrement(), (long) live.size()));
    return new Clients.Target(node, nodes.get(node));
  }
}
