package io.todocluster.supervision;

/** When a child that exited is restarted (OTP's restart types). */
public enum Restart {
  /** Always restarted. */
  PERMANENT,
  /** Restarted only after an abnormal exit; a normal exit or a shutdown ends it. */
  TRANSIENT,
  /** Never restarted; its spec is removed when it exits. */
  TEMPORARY;

  boolean restartsAfter(ExitReason reason) {
    return switch (this) {
      case PERMANENT -> true;
      case TRANSIENT -> reason.isAbnormal();
      case TEMPORARY -> false;
    };
  }
}
