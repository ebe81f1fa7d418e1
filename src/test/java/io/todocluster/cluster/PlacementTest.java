package io.todocluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Rendezvous placement")
class PlacementTest {

  static final List<String> KEYS = keys(3000);

  static List<String> keys(int n) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add("list-" + i);
    }
    return keys;
  }

  @Test
  @DisplayName("gives the same owner whatever the order of the members")
  void deterministic() {
    Placement a = new Placement(List.of("n1-aa", "n2-bb", "n3-cc"));
    Placement b = new Placement(List.of("n3-cc", "n1-aa", "n2-bb"));
    for (String key : KEYS) {
      assertThat(a.owner(key)).isEqualTo(b.owner(key)).isIn(a.members());
    }
  }

  @Test
  @DisplayName("spreads 3,000 keys over 3 members with no member above 40%")
  void balanced() {
    Placement placement = new Placement(List.of("node-a-1x2y", "node-b-9k3z", "node-c-0p0p"));
    Map<String, Integer> counts = new HashMap<>();
    KEYS.forEach(k -> counts.merge(placement.owner(k), 1, Integer::sum));
    assertThat(counts).hasSize(3);
    assertThat(counts.values()).allSatisfy(c -> assertThat(c).isLessThanOrEqualTo(1200).isGreaterThanOrEqualTo(800));
  }

  @Test
  @DisplayName("moves only the keys the joining member wins")
  void minimalMovementOnJoin() {
    Placement before = new Placement(List.of("a", "b", "c"));
    Placement after = new Placement(List.of("a", "b", "c", "d"));
    int moved = 0;
    for (String key : KEYS) {
      if (!before.owner(key).equals(after.owner(key))) {
        assertThat(after.owner(key)).as("a key that moves goes to the new member").isEqualTo("d");
        moved++;
      }
    }
    assertThat(moved).as("about a quarter of the keys").isBetween(600, 900);
  }

  @Test
  @DisplayName("moves only the keys of the member that leaves")
  void minimalMovementOnLeave() {
    Placement before = new Placement(List.of("a", "b", "c"));
    Placement after = new Placement(List.of("a", "c"));
    for (String key : KEYS) {
      if (!before.owner(key).equals("b")) {
        assertThat(after.owner(key)).isEqualTo(before.owner(key));
      } else {
        assertThat(after.owner(key)).isIn("a", "c");
      }
    }
  }

  @Test
  @DisplayName("has no owner without members")
  void empty() {
    assertThat(new Placement(List.of()).owner("x")).isNull();
  }
}
