package io.todocluster.store.log;

import java.nio.file.Path;
import java.util.Properties;
import org.infinispan.commons.CacheConfigurationException;
import org.infinispan.commons.util.TypedProperties;
import org.infinispan.configuration.cache.AbstractStoreConfiguration;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.cache.CustomStoreConfiguration;
import org.infinispan.configuration.cache.CustomStoreConfigurationBuilder;
import org.infinispan.configuration.cache.StoreConfigurationBuilder;
import org.infinispan.configuration.global.GlobalStateConfiguration;
import org.infinispan.persistence.PersistenceUtil;

/**
 * A {@link LogStore}'s settings, read once from the store's properties
 * ({@code <property name="sync">true</property>} in the XML, {@link LogStoreConfigurationBuilder}
 * in code).
 *
 * @param sync fsync every write before acknowledging it
 * @param directory where this cache's log lives
 */
public record LogStoreSettings(boolean sync, Path directory) {

  /** Store property: fsync each write before it is acknowledged ("true" or "false"). */
  public static final String SYNC = "sync";

  /**
   * Store property: the directory of this cache's log. Absolute, or relative to the global-state
   * persistent location. Unset: {@code <persistent location>/<cache name>}, one directory per cache.
   */
  public static final String LOCATION = "location";

  /**
   * Default false: an acknowledged write is in the OS, so it survives a crash of the JVM (kill -9)
   * but not of the machine; the other owner's copy covers a single machine's loss, and an fsync per
   * write costs milliseconds. The node's command line can turn it on.
   */
  public static final boolean DEFAULT_SYNC = false;

  /**
   * Sets {@code sync} on the cache's log stores, over what the XML says: for a node option. Returns
   * how many stores it set (0: the cache has no log store).
   */
  public static int setSync(ConfigurationBuilder cache, boolean sync) {
    int set = 0;
    for (StoreConfigurationBuilder<?, ?> store : cache.persistence().stores()) {
      if (store instanceof LogStoreConfigurationBuilder logStore) {
        logStore.sync(sync);
        set++;
      } else if (store instanceof CustomStoreConfigurationBuilder custom
          && custom.attributes().attribute(CustomStoreConfiguration.CUSTOM_STORE_CLASS).get() == LogStore.class) {
        // configured as a generic custom store: a copy of its properties, as the builder's sync() does
        TypedProperties properties = new TypedProperties();
        properties.putAll(custom.attributes().attribute(AbstractStoreConfiguration.PROPERTIES).get());
        properties.put(SYNC, Boolean.toString(sync));
        custom.withProperties(properties);
        set++;
      }
    }
    return set;
  }

  static LogStoreSettings from(Properties properties, GlobalStateConfiguration globalState, String cacheName) {
    return new LogStoreSettings(sync(properties.getProperty(SYNC)),
        directory(properties.getProperty(LOCATION), globalState, cacheName));
  }

  private static boolean sync(String value) {
    if (value == null) {
      return DEFAULT_SYNC;
    }
    return switch (value.trim().toLowerCase()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new CacheConfigurationException("the log store's property " + SYNC
          + " must be true or false, not '" + value + "'");
    };
  }

  private static Path directory(String location, GlobalStateConfiguration globalState, String cacheName) {
    if (location != null && Path.of(location).isAbsolute()) {
      return Path.of(location);
    }
    if (!globalState.enabled()) {
      throw new CacheConfigurationException("the log store of cache " + cacheName + " needs an absolute "
          + LOCATION + " property, or <global-state> enabled for a default one");
    }
    Path root = Path.of(globalState.persistentLocation());
    return location != null ? root.resolve(location) : root.resolve(PersistenceUtil.sanitizedCacheName(cacheName));
  }
}
