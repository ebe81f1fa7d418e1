package io.todocluster.store;

/** A write was refused because the list was written by someone else since the writer's last look. */
public final class StaleWriterException extends RuntimeException {

  public StaleWriterException(String list, ListMeta expected) {
    super("list '" + list + "' changed since version " + expected.version() + "; the writer is stale");
  }
}
