package io.todocluster.supervision;

/** Which children a supervisor restarts when one of them exits abnormally (OTP's strategies). */
public enum Strategy {
  /** Only the child that exited is restarted. */
  ONE_FOR_ONE,
  /** All children are stopped (in reverse start order) and then all are restarted in order. */
  ONE_FOR_ALL,
  /** The exited child and the children started after it are stopped and restarted in order. */
  REST_FOR_ONE
}
