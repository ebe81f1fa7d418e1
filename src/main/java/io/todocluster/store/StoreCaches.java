package io.todocluster.store;

import io.todocluster.store.log.LogStoreSettings;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.parsing.ConfigurationBuilderHolder;

/**
 * The node's settings applied to the to-do store's caches as {@code todo-infinispan.xml} defines
 * them, before the cache manager starts: the cluster layer builds the manager, this package knows
 * which of its caches are the store.
 */
public final class StoreCaches {

  private StoreCaches() {}

  /** Each store cache keeps {@code owners} copies of an entry; its log fsyncs each write if {@code fsync}. */
  public static void configure(ConfigurationBuilderHolder holder, int owners, boolean fsync) {
    for (String cache : TodoStore.CACHES) {
      ConfigurationBuilder builder = holder.getNamedConfigurationBuilders().get(cache);
      if (builder == null) {
        throw new IllegalStateException("the Infinispan configuration defines no cache " + cache);
      }
      builder.clustering().hash().numOwners(owners);
      LogStoreSettings.setSync(builder, fsync);
    }
  }
}
