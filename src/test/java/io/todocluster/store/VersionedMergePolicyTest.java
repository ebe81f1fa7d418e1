package io.todocluster.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.infinispan.container.entries.CacheEntry;
import org.infinispan.container.entries.ImmortalCacheEntry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The merge policy of the store")
class VersionedMergePolicyTest {

  final VersionedMergePolicy policy = new VersionedMergePolicy();

  static CacheEntry<String, String> copy(String value) {
    return new ImmortalCacheEntry("k", value);
  }

  @Test
  @DisplayName("keeps the copy written at the highest version, even against the preferred partition")
  void highestVersionWins() {
    CacheEntry<String, String> stale = copy("{\"nextId\":13,\"version\":12}");
    CacheEntry<String, String> fresh = copy("{\"nextId\":418,\"version\":416}");
    assertThat(policy.merge(stale, List.of(fresh))).isSameAs(fresh);
    assertThat(policy.merge(fresh, List.of(stale))).isSameAs(fresh);
  }

  @Test
  @DisplayName("keeps a newer tombstone over an older entry, so a delete is not undone")
  void tombstoneWins() {
    CacheEntry<String, String> entry = copy("{\"id\":3,\"title\":\"x\",\"version\":5}");
    CacheEntry<String, String> tombstone = copy("{\"id\":3,\"deleted\":true,\"version\":6}");
    assertThat(policy.merge(entry, List.of(tombstone))).isSameAs(tombstone);
  }

  @Test
  @DisplayName("prefers any copy to none")
  void anyCopyBeatsNone() {
    CacheEntry<String, String> record = copy("{\"id\":3,\"title\":\"x\"}");
    assertThat(policy.merge(null, List.of(record))).isSameAs(record);
    assertThat(policy.merge(record, List.of())).isSameAs(record);
  }
}
