package io.todocluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("After a restart of the whole cluster, the members present")
class FormationRuleTest {

  private static LastMembership served(long formation, long topology, String... members) {
    return new LastMembership(formation, topology, List.of(members));
  }

  private static Map<String, Optional<LastMembership>> offers(Object... nameThenMemory) {
    Map<String, Optional<LastMembership>> offers = new LinkedHashMap<>();
    for (int i = 0; i < nameThenMemory.length; i += 2) {
      offers.put((String) nameThenMemory[i], Optional.ofNullable((LastMembership) nameThenMemory[i + 1]));
    }
    return offers;
  }

  @Test
  @DisplayName("form at once when none of them ever served (a new cluster)")
  void newCluster() {
    var decision = FormationRule.decide(Set.of("a"), offers("a", null));
    assertThat(decision.form()).isTrue();
    assertThat(decision.formation()).isEqualTo(1);
  }

  @Test
  @DisplayName("wait until every member present has offered its copies")
  void waitForOffers() {
    var decision = FormationRule.decide(Set.of("a", "b"), offers("a", served(1, 5, "a", "b")));
    assertThat(decision.form()).isFalse();
    assertThat(decision.waitingFor()).contains("b").contains("offer");
  }

  @Test
  @DisplayName("wait when the node that stopped first is alone: it remembers three members and needs two")
  void aloneWithOldCopies() {
    var decision = FormationRule.decide(Set.of("a"), offers("a", served(1, 5, "a", "b", "c")));
    assertThat(decision.form()).isFalse();
    assertThat(decision.waitingFor()).contains("waiting for 1 more of the 3 members").contains("missing: b, c");
  }

  @Test
  @DisplayName("wait for the members of the newest membership, not of an older one they outnumber")
  void newestMembershipDecides() {
    // a stopped first, then b; c served alone last and holds writes nobody else has
    var decision = FormationRule.decide(Set.of("a", "b"),
        offers("a", served(1, 5, "a", "b", "c"), "b", served(1, 8, "b", "c")));
    assertThat(decision.form()).isFalse();
    assertThat(decision.waitingFor()).contains("missing: c");
    var withC = FormationRule.decide(Set.of("a", "b", "c"),
        offers("a", served(1, 5, "a", "b", "c"), "b", served(1, 8, "b", "c"), "c", served(1, 9, "c")));
    assertThat(withC.form()).isTrue();
    assertThat(withC.formation()).isEqualTo(2);
  }

  @Test
  @DisplayName("form with a majority after every node was killed at once")
  void majorityAfterPowerLoss() {
    LastMembership all = served(3, 12, "a", "b", "c");
    assertThat(FormationRule.decide(Set.of("c", "a"), offers("c", all, "a", all)).form()).isTrue();
    assertThat(FormationRule.decide(Set.of("c", "a"), offers("c", all, "a", all)).formation()).isEqualTo(4);
  }

  @Test
  @DisplayName("count a member without a memory (a new or wiped disk) for no one")
  void wipedMemberDoesNotCount() {
    var decision = FormationRule.decide(Set.of("a", "b"), offers("a", served(1, 5, "a", "b", "c"), "b", null));
    assertThat(decision.form()).isTrue();
    var wipedMajority = FormationRule.decide(Set.of("a", "d"), offers("a", served(1, 5, "a", "b", "c"), "d", null));
    assertThat(wipedMajority.form()).isFalse();
  }

  @Test
  @DisplayName("order memories by formation first: a later restart's small topology ids are newer")
  void formationBeforeTopology() {
    var decision = FormationRule.decide(Set.of("a", "b"),
        offers("a", served(1, 90, "a", "b", "c"), "b", served(2, 3, "b")));
    assertThat(decision.form()).isTrue();
  }

  @Test
  @DisplayName("a remembered membership survives a write and read of the data dir, and forgetting a member shrinks it")
  void fileRoundTrip(@TempDir Path dir) {
    assertThat(LastMembership.load(dir)).isEmpty();
    served(2, 7, "c", "a", "b").save(dir);
    assertThat(LastMembership.load(dir)).contains(served(2, 7, "a", "b", "c"));
    LastMembership.load(dir).orElseThrow().without("c").save(dir);
    assertThat(LastMembership.load(dir).orElseThrow().members()).containsExactly("a", "b");
    assertThat(LastMembership.load(dir).orElseThrow().majority()).isEqualTo(2);
  }
}
