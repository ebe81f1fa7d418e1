package io.todocluster.store.log;

import org.infinispan.commons.util.TypedProperties;
import org.infinispan.configuration.cache.AbstractStoreConfiguration;
import org.infinispan.configuration.cache.AbstractStoreConfigurationBuilder;
import org.infinispan.configuration.cache.PersistenceConfigurationBuilder;

/**
 * Builds a {@link LogStore}'s configuration in code:
 * {@code persistence().addStore(LogStoreConfigurationBuilder.class).sync(true)}. Non-segmented by
 * default, since the store keeps one log per cache.
 */
public class LogStoreConfigurationBuilder
    extends AbstractStoreConfigurationBuilder<LogStoreConfiguration, LogStoreConfigurationBuilder> {

  public LogStoreConfigurationBuilder(PersistenceConfigurationBuilder builder) {
    super(builder, LogStoreConfiguration.attributeDefinitionSet());
    segmented(false);
  }

  /** {@link LogStoreSettings#SYNC}: fsync every write before it is acknowledged. */
  public LogStoreConfigurationBuilder sync(boolean sync) {
    return property(LogStoreSettings.SYNC, Boolean.toString(sync));
  }

  /** {@link LogStoreSettings#LOCATION}: the directory of this cache's log. */
  public LogStoreConfigurationBuilder location(String directory) {
    return property(LogStoreSettings.LOCATION, directory);
  }

  /**
   * Sets a property on a copy of the properties: a builder read from a template shares the
   * template's properties object, and {@code addProperty} would change every cache made from it.
   */
  private LogStoreConfigurationBuilder property(String key, String value) {
    TypedProperties properties = new TypedProperties();
    properties.putAll(attributes.attribute(AbstractStoreConfiguration.PROPERTIES).get());
    properties.put(key, value);
    return withProperties(properties);
  }

  @Override
  public LogStoreConfiguration create() {
    return new LogStoreConfiguration(attributes.protect(), async.create());
  }

  @Override
  public LogStoreConfigurationBuilder self() {
    return this;
  }
}
