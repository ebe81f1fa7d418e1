package io.todocluster.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop HTTP load: {@code concurrency} requests always in flight over as many kept-alive
 * connections, for a warm-up (not recorded, until the rate levels off: see {@link Warmup}) and
 * then a measured window, latencies in an HdrHistogram. Only requests started and finished
 * inside the window count.
 */
public final class LoadGenerator {

  /** One request to send; body and content type may be null. */
  public record Request(HttpMethod method, int port, String uri, Buffer body, String contentType) {

    public static Request get(int port, String uri) {
      return new Request(HttpMethod.GET, port, uri, null, null);
    }

    public static Request postJson(int port, String uri, String json) {
      return new Request(HttpMethod.POST, port, uri, Buffer.buffer(json), "application/json");
    }

    public static Request post(int port, String uri) {
      return new Request(HttpMethod.POST, port, uri, null, null);
    }
  }

  /** What a run measured. */
  public record Result(long ok, long errors, double seconds, Histogram latencies, String warmup) {

    public double requestsPerSecond() {
      return ok / seconds;
    }

    /** A latency percentile in milliseconds. */
    public double percentileMillis(double percentile) {
      return latencies.getTotalCount() == 0 ? Double.NaN
          : latencies.getValueAtPercentile(percentile) / 1_000_000.0;
    }
  }

  /** A request that has not answered in this long counts as an error (far above any latency seen). */
  static final long REQUEST_IDLE_TIMEOUT_MS = 10_000;

  private final Vertx vertx;

  public LoadGenerator(Vertx vertx) {
    this.vertx = vertx;
  }

  /** A load warmed up for {@code minWarmup}, then until its rate levels off, at most {@code maxWarmup}. */
  public Future<Result> run(int concurrency, Duration minWarmup, Duration maxWarmup, Duration window,
      Supplier<Request> next) {
    return run(concurrency, minWarmup, maxWarmup, window, List.of(), next);
  }

  /**
   * The same, and the warm-up also waits until the JIT compilers of these JVMs (and of this one)
   * have gone quiet (see {@link Warmup}).
   */
  public Future<Result> run(int concurrency, Duration minWarmup, Duration maxWarmup, Duration window,
      List<Jvm> jvms, Supplier<Request> next) {
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(concurrency));
    Warmup warmup = new Warmup(minWarmup, maxWarmup, window, jvms.isEmpty() ? null : JitActivity.of(jvms));
    long ticker = vertx.setPeriodic(Warmup.SLICE.toMillis(), id -> warmup.tick());
    Run run = new Run(client, next, warmup);
    for (int i = 0; i < concurrency; i++) {
      run.loop();
    }
    return run.done.future()
        .map(v -> new Result(run.ok.get(), run.errors.get(), window.toNanos() / 1e9, run.latencies, warmup.describe()))
        .eventually(() -> {
          vertx.cancelTimer(ticker);
          return client.close();
        });
  }

  private static final class Run {
    final HttpClientAgent client;
    final Supplier<Request> next;
    final Warmup warmup;
    // 1 us .. 60 s at 3 significant digits
    final Histogram latencies = new ConcurrentHistogram(1_000, TimeUnit.SECONDS.toNanos(60), 3);
    final AtomicLong ok = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicInteger running = new AtomicInteger();
    final Promise<Void> done = Promise.promise();

    Run(HttpClientAgent client, Supplier<Request> next, Warmup warmup) {
      this.client = client;
      this.next = next;
      this.warmup = warmup;
    }

    void loop() {
      running.incrementAndGet();
      sendNext();
    }

    private void sendNext() {
      long began = System.nanoTime();
      if (warmup.over(began)) {
        if (running.decrementAndGet() == 0) {
          done.tryComplete();
        }
        return;
      }
      Request r = next.get();
      RequestOptions options = new RequestOptions().setMethod(r.method()).setHost("127.0.0.1").setPort(r.port())
          .setURI(r.uri()).setIdleTimeout(REQUEST_IDLE_TIMEOUT_MS);
      if (r.contentType() != null) {
        options.putHeader("Content-Type", r.contentType());
      }
      client.request(options)
          .compose(req -> r.body() == null ? req.send() : req.send(r.body()))
          .compose(resp -> resp.body().map(body -> resp.statusCode()))
          .onComplete(ar -> {
            long ended = System.nanoTime();
            warmup.completed();
            if (warmup.counts(began, ended)) {
              if (ar.succeeded() && ar.result() < 300) {
                ok.incrementAndGet();
                latencies.recordValue(Math.max(1_000, ended - began));
              } else {
                errors.incrementAndGet();
              }
            }
            sendNext();
          });
    }
  }
}
