package io.todocluster.store;

import org.infinispan.distribution.group.Grouper;

/**
 * Puts every key of one list ({@code list/suffix}) in the list's group, so that all of a list's
 * entries live on the same owners (a list name never contains the separator).
 */
public final class ListGrouper implements Grouper<String> {

  public static final char SEPARATOR = '/';

  @Override
  public Object computeGroup(String key, Object group) {
    int at = key.indexOf(SEPARATOR);
    return at < 0 ? key : key.substring(0, at);
  }

  @Override
  public Class<String> getKeyType() {
    return String.class;
  }
}
