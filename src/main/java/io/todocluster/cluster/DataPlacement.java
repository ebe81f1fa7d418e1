package io.todocluster.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.infinispan.AdvancedCache;
import org.infinispan.distribution.ch.KeyPartitioner;
import org.infinispan.distribution.ch.impl.DefaultConsistentHash;
import org.infinispan.distribution.ch.impl.SyncConsistentHashFactory;
import org.infinispan.remoting.transport.Address;

/**
 * Places a key's process on the primary owner of the key's data in a distributed cache, so that
 * the process reads locally and each of its writes is a local update plus one round trip to the
 * backup owners, instead of a forward to a primary elsewhere.
 *
 * <p>Infinispan 14 gives a distributed cache without topology hints its
 * {@link SyncConsistentHashFactory}, whose balanced hash is a function of the member list alone
 * (each member's hashes come from its JGroups UUID). So every node computes, for the servers of
 * its membership view, the very hash that the cache rebalances to for those members, without
 * asking anyone, and agrees with every other node on the same view. While the cache is still
 * moving to it (after a join or a loss) a process may run where the data is not yet: that costs
 * remote calls, never correctness, since writers are fenced by the store itself.
 */
final class DataPlacement {

  private final AdvancedCache<?, ?> cache;
  private final KeyPartitioner partitioner;
  private final SyncConsistentHashFactory hashes = new SyncConsistentHashFactory();

  DataPlacement(AdvancedCache<?, ?> cache) {
    this.cache = cache;
    this.partitioner = cache.getComponentRegistry().getComponent(KeyPartitioner.class);
  }

  /**
   * The placement over these servers; rendezvous hashing when the cache cannot tell (stopping, or
   * a server the transport does not know yet), which is only slower, never wrong.
   */
  Placement over(Collection<String> servers) {
    if (servers.isEmpty() || !cache.getStatus().allowInvocations()
        || cache.getDistributionManager().getCacheTopology() == null) {
      return new Placement(servers);
    }
    List<Address> addresses = addresses(servers);
    if (addresses.size() != servers.size()) {
      return new Placement(servers);
    }
    var hash = cache.getCacheConfiguration().clustering().hash();
    Map<Address, Float> capacities = new HashMap<>();
    addresses.forEach(a -> capacities.put(a, 1f));
    DefaultConsistentHash balanced = hashes.create(hash.numOwners(), hash.numSegments(), addresses, capacities);
    List<String> primaries = new ArrayList<>(balanced.getNumSegments());
    for (int segment = 0; segment < balanced.getNumSegments(); segment++) {
      primaries.add(balanced.locatePrimaryOwnerForSegment(segment).toString());
    }
    return Placement.bySegment(servers, partitioner::getSegment, primaries);
  }

  /**
   * The servers' transport addresses, in the order of the cache's members (the order the
   * coordinator hashes them in; it matters only for ties between 63-bit hashes), then by name.
   */
  private List<Address> addresses(Collection<String> servers) {
    Map<String, Address> byName = new HashMap<>();
    cache.getCacheManager().getMembers().forEach(a -> byName.put(a.toString(), a));
    List<Address> ordered = new ArrayList<>();
    var topology = cache.getDistributionManager().getCacheTopology();
    for (Address member : topology.getMembers()) {
      if (servers.contains(member.toString()) && !ordered.contains(member)) {
        ordered.add(member);
      }
    }
    servers.stream().sorted(Comparator.naturalOrder()).map(byName::get)
        .filter(a -> a != null && !ordered.contains(a)).forEach(ordered::add);
    return ordered;
  }
}
