package io.todocluster.supervision;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every decision a supervisor takes, as one structured log line and one event published on the
 * event bus (OTP's supervisor reports and progress reports).
 */
public final class SupervisorEvents {

  /** Where supervisors publish their reports unless told otherwise. */
  public static final String DEFAULT_ADDRESS = "supervisor.events";

  public static final String CHILD_STARTED = "child_started";
  public static final String CHILD_EXITED = "child_exited";
  public static final String CHILD_RESTARTED = "child_restarted";
  public static final String CHILD_TERMINATED = "child_terminated";
  public static final String START_FAILED = "start_failed";
  public static final String INTENSITY_EXCEEDED = "intensity_exceeded";
  public static final String SHUTDOWN = "shutdown";

  private static final Logger log = LoggerFactory.getLogger(SupervisorEvents.class);

  private final Vertx vertx;
  private final String supervisor;
  private final String address;

  SupervisorEvents(Vertx vertx, String supervisor, String address) {
    this.vertx = vertx;
    this.supervisor = supervisor;
    this.address = address;
  }

  void childStarted(String child, String deploymentId) {
    emit(CHILD_STARTED, child, new JsonObject().put("deploymentId", deploymentId));
  }

  void childExited(String child, ExitReason reason) {
    emit(CHILD_EXITED, child, reasonOf(reason));
  }

  void childRestarted(String child, String deploymentId, int restarts) {
    emit(CHILD_RESTARTED, child, new JsonObject().put("deploymentId", deploymentId).put("restarts", restarts));
  }

  void childTerminated(String child, boolean killed) {
    emit(CHILD_TERMINATED, child, new JsonObject().put("killed", killed));
  }

  void startFailed(String child, Throwable cause) {
    emit(START_FAILED, child, reasonOf(ExitReason.crash(cause)));
  }

  void intensityExceeded(String child, RestartIntensity intensity) {
    emit(INTENSITY_EXCEEDED, child, new JsonObject()
        .put("maxRestarts", intensity.maxRestarts())
        .put("periodMs", intensity.period().toMillis()));
  }

  void shutdown(ExitReason reason) {
    emit(SHUTDOWN, null, reasonOf(reason));
  }

  private static JsonObject reasonOf(ExitReason reason) {
    return new JsonObject().put("reason", reason.description()).put("kind", reason.kind().name().toLowerCase());
  }

  private void emit(String event, String child, JsonObject details) {
    JsonObject report = new JsonObject()
        .put("supervisor", supervisor)
        .put("event", event)
        .put("child", child)
        .put("at", System.currentTimeMillis())
        .mergeIn(details);
    if (event.equals(CHILD_STARTED) || event.equals(CHILD_TERMINATED)) {
      log.debug("supervisor={} event={} child={} {}", supervisor, event, child, details.encode());
    } else {
      log.info("supervisor={} event={} child={} {}", supervisor, event, child, details.encode());
    }
    vertx.eventBus().publish(address, report);
  }
}
