package io.todocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The --rate-limit option")
class RateLimitOptionTest {

  private static final Map<String, String> NO_ENV = Map.of("HOSTNAME", "box");

  @Test
  @DisplayName("is off (0) unless given")
  void offByDefault() {
    assertThat(new ConfigLoader(NO_ENV).load(Map.of()).rateLimit()).isZero();
  }

  @Test
  @DisplayName("is read from the flag, which wins over TODO_RATE_LIMIT")
  void readFromFlagAndEnv() {
    assertThat(new ConfigLoader(Map.of("TODO_RATE_LIMIT", "50")).load(Map.of()).rateLimit()).isEqualTo(50);
    assertThat(new ConfigLoader(Map.of("TODO_RATE_LIMIT", "50")).load(Map.of("rate-limit", "7")).rateLimit())
        .isEqualTo(7);
  }

  @Test
  @DisplayName("refuses a negative, a fraction or a word with a one-line error naming where it came from")
  void refusesBadValues() {
    for (String bad : new String[] {"-1", "2.5", "fast", "1000001"}) {
      assertThatThrownBy(() -> new ConfigLoader(NO_ENV).load(Map.of("rate-limit", bad)))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessage("--rate-limit: expected requests per second 0..1000000 (0 = off), got '" + bad + "'");
    }
  }
}
