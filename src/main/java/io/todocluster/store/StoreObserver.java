package io.todocluster.store;

/**
 * Told of every store call once it completed: which operation, how long it took, whether it
 * succeeded. The store measures; whoever observes (the node's metrics) decides what to keep.
 * Called on the caller's context: it must be quick and never block.
 */
@FunctionalInterface
public interface StoreObserver {

  StoreObserver NONE = (operation, nanos, succeeded) -> { };

  void completed(String operation, long nanos, boolean succeeded);
}
