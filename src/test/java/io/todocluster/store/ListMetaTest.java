package io.todocluster.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A stored list head")
class ListMetaTest {

  @Test
  @DisplayName("reads back as written, and the next epoch keeps the floor")
  void roundTrip() {
    ListMeta head = new ListMeta(12, 5);
    assertThat(ListMeta.decode(head.encode())).isEqualTo(head);
    assertThat(head.nextEpoch()).isEqualTo(new ListMeta(12, 6));
  }

  @Test
  @DisplayName("written by the protocol before epochs, its next id reads as the floor")
  void headBeforeEpochs() {
    assertThat(ListMeta.decode("{\"nextId\":418,\"version\":416}")).isEqualTo(new ListMeta(418, 416));
  }

  @Test
  @DisplayName("has no next id a node of the protocol before epochs would misread")
  void olderNodesCannotReadIt() {
    assertThat(new JsonObject(new ListMeta(3, 9).encode()).containsKey("nextId")).isFalse();
  }

  @Test
  @DisplayName("that is not a head is refused with what was stored")
  void notAHead() {
    assertThatThrownBy(() -> ListMeta.decode("{\"version\":3}")).hasMessageContaining("not a list head");
  }
}
