package io.todocluster.supervision;

/**
 * One row of {@code which_children}: the child's id, its current deployment (null while it is
 * not running), its restart type, whether it is a supervisor, and how often it was restarted.
 */
public record ChildInfo(String id, String deploymentId, Restart restart, boolean supervisor, int restarts) {

  public boolean running() {
    return deploymentId != null;
  }
}
