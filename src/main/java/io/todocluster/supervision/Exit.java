package io.todocluster.supervision;

import io.vertx.core.Context;
import java.util.function.Consumer;

/**
 * How a supervised child ends itself, like {@code exit(Reason)} in Erlang: the child tells its
 * supervisor why it is done, and the supervisor undeploys it and applies the restart policy.
 * A child that is not supervised has nobody to tell; {@link #exit} then returns false.
 */
public final class Exit {

  /** The context key under which a supervisor leaves the child's exit signal. */
  static final String SIGNAL_KEY = "io.todocluster.supervision.exit-signal";

  private Exit() {
  }

  /** The child is done and needs no restart (an idle timeout, a finished job). */
  public static boolean normal(Context childContext) {
    return exit(childContext, ExitReason.NORMAL);
  }

  /** The child cannot go on: its supervisor treats this like a crash. */
  public static boolean abnormal(Context childContext, String reason) {
    return exit(childContext, ExitReason.abnormal(reason));
  }

  public static boolean exit(Context childContext, ExitReason reason) {
    Consumer<ExitReason> signal = childContext.get(SIGNAL_KEY);
    if (signal == null) {
      return false;
    }
    signal.accept(reason);
    return true;
  }

  /** Whether this context belongs to a supervised child. */
  public static boolean isSupervised(Context context) {
    return context.get(SIGNAL_KEY) != null;
  }
}
