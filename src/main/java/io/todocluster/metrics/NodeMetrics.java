package io.todocluster.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.codahale.metrics.jvm.CachedThreadStatesGaugeSet;
import com.codahale.metrics.jvm.GarbageCollectorMetricSet;
import com.codahale.metrics.jvm.MemoryUsageGaugeSet;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.ext.dropwizard.DropwizardMetricsOptions;
import io.vertx.ext.dropwizard.DropwizardVertxMetricsFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics of one node in one Dropwizard registry: Vert.x's own (HTTP server, event bus,
 * pools: names start with {@code vertx.}), the JVM's ({@code jvm.}) and this service's
 * ({@code todo.}), rendered in the Prometheus text format for {@code GET /metrics}. Each node has
 * its own registry, so that several nodes in one JVM (the tests) do not count into each other.
 */
public final class NodeMetrics {

  /** Prometheus' text exposition format, version 0.0.4. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  /** Vert.x's metric names start with this (it is also vertx-dropwizard-metrics' own default). */
  static final String VERTX_BASE_NAME = "vertx";

  /** Thread states cost a walk over every thread: taken at most once a second, whatever the scrape rate. */
  private static final long THREAD_STATES_CACHE_SECONDS = 1;

  private static final Logger log = LoggerFactory.getLogger(NodeMetrics.class);

  private final MetricRegistry registry = new MetricRegistry();
  private final PrometheusRegistry exposition = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  public NodeMetrics() {
    registry.register("jvm.memory", new MemoryUsageGaugeSet());
    registry.register("jvm.gc", new GarbageCollectorMetricSet());
    registry.register("jvm.threads", new CachedThreadStatesGaugeSet(THREAD_STATES_CACHE_SECONDS, TimeUnit.SECONDS));
    DropwizardExports.builder()
        .dropwizardRegistry(registry)
        // one broken metric must not take the whole page down with it
        .invalidMetricHandler((name, error) -> {
          log.debug("metric {} left out of /metrics: {}", name, error.toString());
          return true;
        })
        .register(exposition);
  }

  /** Turns Vert.x's Dropwizard metrics on in these options (give {@link #vertxMetricsFactory} to the builder too). */
  public VertxOptions instrument(VertxOptions options) {
    return options.setMetricsOptions(new DropwizardMetricsOptions().setEnabled(true).setBaseName(VERTX_BASE_NAME));
  }

  /** Makes Vert.x write its metrics into this node's registry instead of a registry of its own. */
  public VertxMetricsFactory vertxMetricsFactory() {
    return new DropwizardVertxMetricsFactory(registry);
  }

  /** A value read at each scrape; replaces a gauge of the same name (a restarted node part registers again). */
  public void gauge(String name, Supplier<? extends Number> value) {
    registry.remove(name);
    registry.register(name, (Gauge<Number>) value::get);
  }

  public Counter counter(String name) {
    return registry.counter(name);
  }

  public Timer timer(String name) {
    return registry.timer(name);
  }

  /**
   * Records one store call (see {@code TodoStore#observe}): its latency per operation, and its
   * failures apart, so that a store refusing calls on the minority side shows as such.
   */
  public void storeOperation(String operation, long nanos, boolean succeeded) {
    registry.timer("todo.store." + operation + ".duration_seconds").update(nanos, TimeUnit.NANOSECONDS);
    if (!succeeded) {
      registry.counter("todo.store." + operation + ".failures").inc();
    }
  }

  /** Every metric of the node in the Prometheus text format. Reads MXBeans: call it off the event loop. */
  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      writer.write(out, exposition.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The registry itself, for tests and for reporters other than Prometheus. */
  public MetricRegistry registry() {
    return registry;
  }
}
