package io.todocluster.supervision;

import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How to start one child and what to do when it exits: OTP's child specification. The
 * {@code start} supplier is called for every (re)start, so each incarnation is a fresh instance.
 *
 * @param shutdown how long the child's {@code stop()} may take before it is undeployed anyway
 *     (OTP's shutdown timeout); {@code null} means infinity, OTP's default for supervisors
 */
public record ChildSpec(
    String id,
    Supplier<? extends Deployable> start,
    Restart restart,
    Duration shutdown,
    boolean supervisor,
    DeploymentOptions options) {

  /** OTP's default shutdown for a worker is 5000 ms. */
  public static final Duration DEFAULT_SHUTDOWN = Duration.ofSeconds(5);

  public ChildSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(restart, "restart");
    Objects.requireNonNull(options, "options");
    if (shutdown != null && shutdown.isNegative()) {
      throw new IllegalArgumentException("shutdown must not be negative: " + shutdown);
    }
  }

  /** A permanent worker with the default shutdown timeout. */
  public static ChildSpec worker(String id, Supplier<? extends Deployable> start) {
    return new ChildSpec(id, start, Restart.PERMANENT, DEFAULT_SHUTDOWN, false, new DeploymentOptions());
  }

  /** A permanent child supervisor: it gets all the time it needs to stop its own children. */
  public static ChildSpec supervisor(String id, Supplier<? extends Deployable> start) {
    return new ChildSpec(id, start, Restart.PERMANENT, null, true, new DeploymentOptions());
  }

  public ChildSpec withRestart(Restart value) {
    return new ChildSpec(id, start, value, shutdown, supervisor, options);
  }

  public ChildSpec withShutdown(Duration value) {
    return new ChildSpec(id, start, restart, value, supervisor, options);
  }

  public ChildSpec withOptions(DeploymentOptions value) {
    return new ChildSpec(id, start, restart, shutdown, supervisor, value);
  }
}
