package io.todocluster.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The per-client token bucket")
class RateLimiterTest {

  private final AtomicLong now = new AtomicLong(0);

  private RateLimiter limiter(int perSecond) {
    return new RateLimiter(perSecond, Set.of(), now::get);
  }

  @Test
  @DisplayName("lets a client burst to one second's worth, then asks it to wait")
  void burstThenWait() {
    RateLimiter limiter = limiter(5);
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.take("10.0.0.1")).as("request %d", i).isZero();
    }
    assertThat(limiter.take("10.0.0.1")).as("the sixth, at once").isEqualTo(1);
  }

  @Test
  @DisplayName("refills at its rate: after 200 ms at 5 per second, one more request passes")
  void refills() {
    RateLimiter limiter = limiter(5);
    for (int i = 0; i < 5; i++) {
      limiter.take("10.0.0.1");
    }
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(200));
    assertThat(limiter.take("10.0.0.1")).isZero();
    assertThat(limiter.take("10.0.0.1")).isEqualTo(1);
  }

  @Test
  @DisplayName("counts each address on its own")
  void perAddress() {
    RateLimiter limiter = limiter(1);
    assertThat(limiter.take("10.0.0.1")).isZero();
    assertThat(limiter.take("10.0.0.1")).isEqualTo(1);
    assertThat(limiter.take("10.0.0.2")).isZero();
  }

  @Test
  @DisplayName("rounds Retry-After up to whole seconds: 10 ms after its last token, a client at 1 a second waits 1 s, not 0")
  void retryAfterRoundsUp() {
    RateLimiter limiter = limiter(1);
    limiter.take("a");
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
    assertThat(limiter.take("a")).isEqualTo(1);
  }

  @Test
  @DisplayName("keeps at most MAX_CLIENTS buckets, dropping the least recently seen")
  void boundedMemory() {
    RateLimiter limiter = limiter(1);
    limiter.take("first");
    for (int i = 0; i < RateLimiter.MAX_CLIENTS; i++) {
      limiter.take("client-" + i);
    }
    assertThat(limiter.clients()).isEqualTo(RateLimiter.MAX_CLIENTS);
    // "first" was dropped, so it starts with a full bucket again
    assertThat(limiter.take("first")).isZero();
  }
}
