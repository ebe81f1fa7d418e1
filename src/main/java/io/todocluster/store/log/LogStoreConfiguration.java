package io.todocluster.store.log;

import org.infinispan.commons.configuration.BuiltBy;
import org.infinispan.commons.configuration.ConfigurationFor;
import org.infinispan.commons.configuration.attributes.AttributeSet;
import org.infinispan.configuration.cache.AbstractStoreConfiguration;
import org.infinispan.configuration.cache.AsyncStoreConfiguration;

/**
 * The configuration of a {@link LogStore}: the common store attributes, and its own settings as
 * properties (read by {@link LogStoreSettings}), since the XML's {@code <store class=...>} element
 * takes properties only. A class of its own rather than Infinispan's generic custom-store one, so
 * that Infinispan can check the store against it (else it warns at every cache start, ISPN000437).
 */
@BuiltBy(LogStoreConfigurationBuilder.class)
@ConfigurationFor(LogStore.class)
public class LogStoreConfiguration extends AbstractStoreConfiguration {

  public LogStoreConfiguration(AttributeSet attributes, AsyncStoreConfiguration async) {
    super(attributes, async);
  }

  public static AttributeSet attributeDefinitionSet() {
    return new AttributeSet(LogStoreConfiguration.class, AbstractStoreConfiguration.attributeDefinitionSet());
  }
}
