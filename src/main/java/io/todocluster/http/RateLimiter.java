package io.todocluster.http;

import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A per-client rate limit: one token bucket per remote IP address, in memory, refilled at
 * {@code perSecond} tokens a second and holding one second's worth, so a client may burst to its
 * rate and then keeps to it. A request that finds its bucket empty is answered 429 with
 * {@code Retry-After}. The probes' paths are never limited: an orchestrator that cannot reach
 * them would restart a node that is only busy.
 *
 * <p>It runs on the HTTP verticle's event loop only, so its map needs no lock.
 */
final class RateLimiter implements Handler<RoutingContext> {

  /**
   * Buckets kept at most; beyond, the least recently seen client's is dropped (it starts full
   * again). Bounds the memory a client cycling through source addresses can take: about 1 MB.
   */
  static final int MAX_CLIENTS = 10_000;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final double perSecond;
  private final double capacity;
  private final Set<String> exempt;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
      return size() > MAX_CLIENTS;
    }
  };

  private static final class Bucket {
    double tokens;
    long refilledAt;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.refilledAt = now;
    }
  }

  /**
   * @param perSecond requests per second per client address, more than 0
   * @param exempt paths never limited
   */
  RateLimiter(int perSecond, Set<String> exempt) {
    this(perSecond, exempt, System::nanoTime);
  }

  RateLimiter(int perSecond, Set<String> exempt, LongSupplier nanoTime) {
    if (perSecond <= 0) {
      throw new IllegalArgumentException("a rate limit must be positive, got " + perSecond);
    }
    this.perSecond = perSecond;
    this.capacity = perSecond;
    this.exempt = Set.copyOf(exempt);
    this.nanoTime = nanoTime;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (exempt.contains(ctx.request().path())) {
      ctx.next();
      return;
    }
    long waitSeconds = take(clientOf(ctx));
    if (waitSeconds == 0) {
      ctx.next();
    } else {
      ctx.response().putHeader("Retry-After", Long.toString(waitSeconds));
      Errors.send(ctx, 429, "too many requests from this address; retry after " + waitSeconds + " s");
    }
  }

  /** Takes a token from the client's bucket: 0 when there was one, else the seconds until there is. */
  long take(String client) {
    long now = nanoTime.getAsLong();
    Bucket bucket = buckets.computeIfAbsent(client, c -> new Bucket(capacity, now));
    double refill = (now - bucket.refilledAt) * perSecond / NANOS_PER_SECOND;
    bucket.tokens = Math.min(capacity, bucket.tokens + refill);
    bucket.refilledAt = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    // Retry-After counts whole seconds: round up, so that a client that waits finds a token
    return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perSecond));
  }

  int clients() {
    return buckets.size();
  }

  private static String clientOf(RoutingContext ctx) {
    SocketAddress remote = ctx.request().remoteAddress();
    return remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
  }
}
