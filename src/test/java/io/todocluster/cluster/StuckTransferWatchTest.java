package io.todocluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.cluster.StuckTransferWatch.Detector;
import io.todocluster.cluster.StuckTransferWatch.Sample;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The stuck state transfer rule")
class StuckTransferWatchTest {

  private static final long BOUND = StuckTransferWatch.STUCK_AFTER.toNanos();

  @Test
  @DisplayName("segments in flight with no change for the bound are stuck, not a moment before")
  void noChangeForTheBound() {
    Detector detector = new Detector();
    Sample waiting = new Sample(28, 11);
    assertThat(detector.stuck(waiting, 0)).isFalse();
    assertThat(detector.stuck(waiting, BOUND - 1)).isFalse();
    assertThat(detector.stuck(waiting, BOUND)).isTrue();
  }

  @Test
  @DisplayName("a segment finished, or a new topology, starts the wait again")
  void progressResets() {
    Detector detector = new Detector();
    detector.stuck(new Sample(28, 11), 0);
    assertThat(detector.stuck(new Sample(28, 10), BOUND)).as("a segment arrived").isFalse();
    assertThat(detector.stuck(new Sample(29, 10), 2 * BOUND - 1)).as("a new topology").isFalse();
    assertThat(detector.stuck(new Sample(29, 10), 3 * BOUND - 2)).isFalse();
    assertThat(detector.stuck(new Sample(29, 10), 3 * BOUND - 1)).isTrue();
  }

  @Test
  @DisplayName("no segment in flight is never stuck, however long")
  void nothingInFlight() {
    Detector detector = new Detector();
    assertThat(detector.stuck(new Sample(28, 0), 0)).isFalse();
    assertThat(detector.stuck(new Sample(28, 0), 10 * BOUND)).isFalse();
    detector.stuck(new Sample(28, 3), 10 * BOUND);
    assertThat(detector.stuck(new Sample(28, 0), 11 * BOUND)).isFalse();
    assertThat(detector.stuck(new Sample(28, 3), 11 * BOUND)).as("the wait starts anew").isFalse();
  }
}
