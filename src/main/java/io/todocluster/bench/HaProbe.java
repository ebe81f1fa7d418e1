package io.todocluster.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verticle Vert.x's built-in HA fails over in the HA baseline: it only says where and when it
 * started, which the bench reads from the members' logs.
 */
public final class HaProbe extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HaProbe.class);
  static final String STARTED = "HA-PROBE-STARTED";

  @Override
  public Future<?> start() {
    LOG.info("{} at={}", STARTED, System.currentTimeMillis());
    return Future.succeededFuture();
  }
}
