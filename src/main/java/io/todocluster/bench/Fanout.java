package io.todocluster.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends a fixed list of requests, at most {@code concurrency} at a time, each once: the set-up
 * of a benchmark (creating lists, spawning processes) and the failover poll. Every request ends
 * with its status (or -1 when it failed or timed out) and the wall-clock millis it ended at.
 */
final class Fanout {

  /** How each request ended. */
  record Outcome(int status, long endedAtMillis) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private Fanout() {}

  static Future<Outcome[]> send(Vertx vertx, List<LoadGenerator.Request> requests, int concurrency, long timeoutMillis) {
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(concurrency));
    Outcome[] outcomes = new Outcome[requests.size()];
    AtomicInteger nextIndex = new AtomicInteger();
    AtomicInteger remaining = new AtomicInteger(requests.size());
    Promise<Outcome[]> done = Promise.promise();
    if (requests.isEmpty()) {
      done.complete(outcomes);
    }
    Runnable[] loop = new Runnable[1];
    loop[0] = () -> {
      int i = nextIndex.getAndIncrement();
      if (i >= requests.size()) {
        return;
      }
      LoadGenerator.Request r = requests.get(i);
      RequestOptions options = new RequestOptions().setMethod(r.method()).setHost("127.0.0.1").setPort(r.port())
          .setURI(r.uri()).setIdleTimeout(timeoutMillis).setConnectTimeout(timeoutMillis);
      if (r.contentType() != null) {
        options.putHeader("Content-Type", r.contentType());
      }
      client.request(options)
          .compose(req -> r.body() == null ? req.send() : req.send(r.body()))
          .compose(resp -> resp.body().map(body -> resp.statusCode()))
          .onComplete(ar -> {
            outcomes[i] = new Outcome(ar.succeeded() ? ar.result() : -1, System.currentTimeMillis());
            if (remaining.decrementAndGet() == 0) {
              done.complete(outcomes);
            } else {
              loop[0].run();
            }
          });
    };
    for (int c = 0; c < concurrency; c++) {
      loop[0].run();
    }
    return done.future().eventually(() -> client.close());
  }
}
