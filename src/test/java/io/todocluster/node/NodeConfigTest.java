package io.todocluster.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.cluster.ClusterSettings;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A node's config")
class NodeConfigTest {

  /** Every field away from its default, so that a copy that resets one to a default is seen. */
  private static final NodeConfig ORIGINAL = new NodeConfig("n1", "127.0.0.2", 8081, "127.0.0.3", 7801, 7901,
      List.of("127.0.0.4:7802"), 7001, Path.of("/tmp/n1"), NodeConfig.Role.CLIENT, "s3cret",
      Duration.ofSeconds(61), 3, true, ClusterSettings.Discovery.DNS, "todo.example", 50, true);

  @Test
  @DisplayName("a copy from its builder changes the fields set and keeps every other one")
  void builderKeepsEveryFieldNotSet() throws Exception {
    Map<String, UnaryOperator<NodeConfig.Builder>> changes = Map.of(
        "bridgePort", b -> b.bridgePort(7002),
        "secret", b -> b.secret(null),
        "owners", b -> b.owners(2),
        "dashboardCrash", b -> b.dashboardCrash(false),
        "discovery", b -> b.discovery(ClusterSettings.Discovery.TCPPING, null),
        "rateLimit", b -> b.rateLimit(0),
        "fsync", b -> b.fsync(false));

    for (var change : changes.entrySet()) {
      NodeConfig copy = change.getValue().apply(ORIGINAL.toBuilder()).build();
      List<String> changed = differingFields(ORIGINAL, copy);
      List<String> expected = change.getKey().equals("discovery") ? List.of("discovery", "dnsQuery")
          : List.of(change.getKey());
      assertThat(changed).as("fields changed by setting %s", change.getKey()).isEqualTo(expected);
    }
    assertThat(ORIGINAL.toBuilder().build()).isEqualTo(ORIGINAL);
  }

  @Test
  @DisplayName("tells the cluster layer its name, addresses, seeds, discovery, secret, data dir and owners")
  void clusterSettings() {
    assertThat(ORIGINAL.cluster()).isEqualTo(new ClusterSettings("n1", "127.0.0.3", 7801, List.of("127.0.0.4:7802"),
        ClusterSettings.Discovery.DNS, "todo.example", "s3cret", Path.of("/tmp/n1"), 3));
    assertThat(ORIGINAL.cluster().storeRoot()).isEqualTo(Path.of("/tmp/n1/infinispan"));
  }

  private static List<String> differingFields(NodeConfig a, NodeConfig b) throws Exception {
    List<String> names = new ArrayList<>();
    for (RecordComponent component : NodeConfig.class.getRecordComponents()) {
      if (!Objects.equals(component.getAccessor().invoke(a), component.getAccessor().invoke(b))) {
        names.add(component.getName());
      }
    }
    return names;
  }
}
