package io.todocluster.supervision;

import java.util.Objects;

/**
 * Why a child stopped running. As in OTP, {@code normal} and {@code shutdown} are the only
 * normal reasons; anything else (a crash, a failed start, a vanished deployment, a reason the
 * child gave) is abnormal and may trigger a restart.
 */
public record ExitReason(Kind kind, String description, Throwable cause) {

  public enum Kind { NORMAL, SHUTDOWN, ABNORMAL }

  public static final ExitReason NORMAL = new ExitReason(Kind.NORMAL, "normal", null);
  public static final ExitReason SHUTDOWN = new ExitReason(Kind.SHUTDOWN, "shutdown", null);

  public ExitReason {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(description, "description");
  }

  public static ExitReason abnormal(String description) {
    return new ExitReason(Kind.ABNORMAL, description, null);
  }

  public static ExitReason crash(Throwable cause) {
    return new ExitReason(Kind.ABNORMAL, describe(cause), cause);
  }

  public boolean isAbnormal() {
    return kind == Kind.ABNORMAL;
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  @Override
  public String toString() {
    return description;
  }
}
