package io.todocluster.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.store.TodoStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import io.reactivex.rxjava3.core.Flowable;
import org.infinispan.commons.util.IntSet;
import org.infinispan.commons.util.IntSets;
import org.infinispan.distribution.ch.KeyPartitioner;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.infinispan.Cache;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.cache.CustomStoreConfigurationBuilder;
import org.infinispan.configuration.cache.StoreConfiguration;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.configuration.parsing.ConfigurationBuilderHolder;
import org.infinispan.configuration.parsing.ParserRegistry;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.persistence.manager.PersistenceManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The log store under a real cache")
class LogStoreCacheTest {

  @TempDir
  Path dir;

  DefaultCacheManager manager;

  @AfterEach
  void stop() {
    if (manager != null) {
      manager.stop();
    }
  }

  /** A local cache with the log store, as the builder API writes it. */
  static ConfigurationBuilder logStoreCache(boolean sync) {
    ConfigurationBuilder cache = new ConfigurationBuilder();
    cache.persistence().passivation(false)
        .addStore(LogStoreConfigurationBuilder.class).sync(sync).shared(false).preload(false).purgeOnStartup(false);
    return cache;
  }

  Cache<String, String> start(ConfigurationBuilder cache) {
    GlobalConfigurationBuilder global = new GlobalConfigurationBuilder().nonClusteredDefault();
    global.globalState().enable().persistentLocation(dir.toString());
    manager = new DefaultCacheManager(global.build());
    manager.defineConfiguration("c", cache.build());
    return manager.getCache("c");
  }

  Cache<String, String> restart(ConfigurationBuilder cache) {
    manager.stop();
    return start(cache);
  }

  static LogStore<?, ?> store(Cache<?, ?> cache) {
    PersistenceManager persistence =
        cache.getAdvancedCache().getComponentRegistry().getComponent(PersistenceManager.class);
    @SuppressWarnings("rawtypes")
    java.util.Set<LogStore> stores = persistence.getStores(LogStore.class);
    assertThat(stores).hasSize(1);
    return stores.iterator().next();
  }

  @Test
  @DisplayName("keeps puts, removes and lifespans across a restart of the cache manager")
  void survivesRestart() {
    ConfigurationBuilder config = logStoreCache(false);
    Cache<String, String> cache = start(config);
    for (int i = 0; i < 100; i++) {
      cache.put("k" + i, "value " + i);
    }
    for (int i = 0; i < 10; i++) {
      cache.remove("k" + i);
    }
    cache.put("k50", "overwritten");
    cache.put("ttl", "lives an hour", 1, TimeUnit.HOURS);

    cache = restart(config);
    assertThat(cache.get("k0")).isNull();
    assertThat(cache.get("k11")).isEqualTo("value 11");
    assertThat(cache.get("k50")).isEqualTo("overwritten");
    assertThat(cache.getAdvancedCache().getCacheEntry("ttl").getLifespan()).isEqualTo(TimeUnit.HOURS.toMillis(1));
    Map<String, String> all =
        cache.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertThat(all).hasSize(91).containsEntry("k99", "value 99").doesNotContainKey("k9");
    assertThat(cache.size()).isEqualTo(91);
    assertThat(dir.resolve("c").resolve(AppendLog.FILE_NAME)).exists();
  }

  @Test
  @DisplayName("publishes exactly one segment's keys and entries when asked for one segment, before and after a restart")
  void publishesBySegment() {
    ConfigurationBuilder config = logStoreCache(false);
    Cache<String, String> cache = start(config);
    for (int i = 0; i < 500; i++) {
      cache.put("k" + i, "v" + i);
    }
    assertSegmentsPartition(cache, 500);
    // after a restart the store learns the segments from the log, not from writes
    cache = restart(config);
    cache.remove("k7");
    cache.put("new", "written after the restart");
    assertSegmentsPartition(cache, 500);
  }

  private static void assertSegmentsPartition(Cache<String, String> cache, int expectedKeys) {
    @SuppressWarnings("unchecked")
    LogStore<String, String> store = (LogStore<String, String>) store(cache);
    KeyPartitioner partitioner = cache.getAdvancedCache().getComponentRegistry().getComponent(KeyPartitioner.class);
    int segments = cache.getCacheConfiguration().clustering().hash().numSegments();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int segment = 0; segment < segments; segment++) {
      IntSet one = IntSets.immutableSet(segment);
      List<String> keys = Flowable.fromPublisher(store.publishKeys(one, null)).toList().blockingGet();
      List<String> entryKeys = Flowable.fromPublisher(store.publishEntries(one, null, true))
          .map(entry -> entry.getKey()).toList().blockingGet();
      assertThat(entryKeys).containsExactlyInAnyOrderElementsOf(keys);
      for (String key : keys) {
        assertThat(partitioner.getSegment(key)).as("segment of %s", key).isEqualTo(segment);
        assertThat(seen.add(key)).as("%s published once", key).isTrue();
      }
    }
    assertThat(seen).hasSize(expectedKeys).isEqualTo(cache.keySet().stream().collect(Collectors.toSet()));
  }

  @Test
  @DisplayName("keeps a clear across a restart")
  void clearSurvivesRestart() {
    ConfigurationBuilder config = logStoreCache(false);
    Cache<String, String> cache = start(config);
    cache.put("a", "1");
    cache.clear();
    cache.put("b", "2");
    cache = restart(config);
    assertThat(cache.keySet()).containsExactly("b");
  }

  @Test
  @DisplayName("starts from XML, with its properties reaching the store")
  void fromXml() throws IOException {
    Path elsewhere = dir.resolve("moved-aside");
    String xml = """
        <infinispan xmlns="urn:infinispan:config:14.0">
          <cache-container>
            <global-state><persistent-location path="%s"/></global-state>
            <local-cache name="c">
              <persistence passivation="false">
                <store class="io.todocluster.store.log.LogStore" shared="false" preload="false" purge="false"
                       segmented="false">
                  <property name="sync">true</property>
                  <property name="location">%s</property>
                </store>
              </persistence>
            </local-cache>
          </cache-container>
        </infinispan>
        """.formatted(dir.resolve("state"), elsewhere);
    manager = new DefaultCacheManager(new ParserRegistry().parse(xml), true);
    Cache<String, String> cache = manager.getCache("c");
    cache.put("k", "v");
    AppendLog log = store(cache).appendLog();
    assertThat(log.file()).isEqualTo(elsewhere.resolve(AppendLog.FILE_NAME));
    assertThat(log.syncs()).as("sync=true fsyncs every write").isPositive();
  }

  @Test
  @DisplayName("works in a local cache without global state when its location is given")
  void withoutGlobalState() {
    ConfigurationBuilder config = logStoreCache(false);
    ((LogStoreConfigurationBuilder) config.persistence().stores().get(0)).location(dir.resolve("copy").toString());
    manager = new DefaultCacheManager(new GlobalConfigurationBuilder().nonClusteredDefault().build());
    manager.defineConfiguration("c", config.build());
    manager.<String, String>getCache("c").put("k", "v");
    manager.stop();
    manager = new DefaultCacheManager(new GlobalConfigurationBuilder().nonClusteredDefault().build());
    manager.defineConfiguration("c", config.build());
    assertThat(manager.<String, String>getCache("c").get("k")).isEqualTo("v");
  }

  @Test
  @DisplayName("also runs when configured as Infinispan's generic custom store, where setSync reaches it too")
  void asGenericCustomStore() {
    ConfigurationBuilder config = new ConfigurationBuilder();
    config.persistence().passivation(false)
        .addStore(CustomStoreConfigurationBuilder.class).customStoreClass(LogStore.class).segmented(false)
        .addProperty(LogStoreSettings.LOCATION, dir.resolve("custom").toString());
    assertThat(LogStoreSettings.setSync(config, true)).isEqualTo(1);
    Cache<String, String> cache = start(config);
    cache.put("k", "v");
    assertThat(store(cache).appendLog().syncs()).isPositive();
    assertThat(store(cache).appendLog().file()).isEqualTo(dir.resolve("custom").resolve(AppendLog.FILE_NAME));
    assertThat(restart(config).get("k")).isEqualTo("v");
  }

  @Test
  @DisplayName("is the store of every store cache in the node's configuration, non-segmented, and sync can be set")
  void nodeConfiguration() throws IOException {
    ConfigurationBuilderHolder holder = new ParserRegistry().parseFile("todo-infinispan.xml");
    for (String name : TodoStore.CACHES) {
      ConfigurationBuilder cache = holder.getNamedConfigurationBuilders().get(name);
      StoreConfiguration store = cache.build().persistence().stores().get(0);
      assertThat(store).isInstanceOf(LogStoreConfiguration.class);
      assertThat(store.segmented()).isFalse();
      assertThat(store.shared()).isFalse();
      assertThat(store.properties().getProperty(LogStoreSettings.SYNC)).isEqualTo("false");
      assertThat(LogStoreSettings.setSync(cache, true)).isEqualTo(1);
      assertThat(cache.build().persistence().stores().get(0).properties().getProperty(LogStoreSettings.SYNC))
          .isEqualTo("true");
    }
  }
}
