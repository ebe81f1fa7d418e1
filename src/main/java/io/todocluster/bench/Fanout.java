package io.todocluster.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.BiFunction;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends requests at most {@code concurrency} at a time: a fixed list, each once (the set-up of a
 * benchmark: creating lists, spawning processes), or one per item until each has answered (the
 * failover poll). Every request ends with its status (or -1 when it failed or timed out) and the
 * wall-clock millis it ended at.
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
      status(client, requests.get(i), timeoutMillis).onComplete(ar -> {
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

  /**
   * How the items of {@link #untilOk} ended: when each first answered with a 2xx (wall-clock
   * millis, -1 if it never did before the deadline), and the last status of each.
   */
  record Polled(long[] answeredAtMillis, int[] lastStatus) {}

  /**
   * Asks for every item until it answers with a 2xx, at most {@code concurrency} requests at a
   * time: an item that fails goes to the back of the queue and is asked again once the items
   * ahead of it have been, after {@code pauseMillis} (so that items failing at once do not spin
   * the servers). No item waits for a slower one: each is asked again as soon as a slot is free.
   *
   * @param request the request for an item at its n-th attempt (from 0)
   */
  static Future<Polled> untilOk(Vertx vertx, List<String> items, BiFunction<String, Integer, LoadGenerator.Request> request,
      int concurrency, long timeoutMillis, long pauseMillis, long deadlineNanos) {
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(concurrency));
    long[] answeredAt = new long[items.size()];
    int[] lastStatus = new int[items.size()];
    int[] attempts = new int[items.size()];
    java.util.Arrays.fill(answeredAt, -1);
    // touched only on this context: the responses' handlers run on it
    Deque<Integer> pending = new ArrayDeque<>();
    for (int i = 0; i < items.size(); i++) {
      pending.add(i);
    }
    int[] inFlight = {0};
    Promise<Polled> done = Promise.promise();
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      while (inFlight[0] < concurrency && !pending.isEmpty() && System.nanoTime() < deadlineNanos) {
        int i = pending.pollFirst();
        inFlight[0]++;
        status(client, request.apply(items.get(i), attempts[i]++), timeoutMillis).onComplete(ar -> {
          lastStatus[i] = ar.succeeded() ? ar.result() : -1;
          if (lastStatus[i] >= 200 && lastStatus[i] < 300) {
            answeredAt[i] = System.currentTimeMillis();
            inFlight[0]--;
            next[0].run();
          } else {
            vertx.setTimer(Math.max(1, pauseMillis), t -> {
              pending.addLast(i);
              inFlight[0]--;
              next[0].run();
            });
          }
        });
      }
      if (inFlight[0] == 0 && (pending.isEmpty() || System.nanoTime() >= deadlineNanos)) {
        done.tryComplete(new Polled(answeredAt, lastStatus));
      }
    };
    vertx.runOnContext(v -> next[0].run());
    return done.future().eventually(() -> client.close());
  }

  /** Sends one request and reads its whole body; completes with its status. */
  private static Future<Integer> status(HttpClientAgent client, LoadGenerator.Request r, long timeoutMillis) {
    RequestOptions options = new RequestOptions().setMethod(r.method()).setHost("127.0.0.1").setPort(r.port())
        .setURI(r.uri()).setIdleTimeout(timeoutMillis).setConnectTimeout(timeoutMillis);
    if (r.contentType() != null) {
      options.putHeader("Content-Type", r.contentType());
    }
    return client.request(options)
        .compose(req -> r.body() == null ? req.send() : req.send(r.body()))
        .compose(resp -> resp.body().map(body -> resp.statusCode()));
  }
}
