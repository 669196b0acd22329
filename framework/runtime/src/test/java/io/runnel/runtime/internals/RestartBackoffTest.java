package io.runnel.runtime.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

  final RestartBackoff backoff =
      new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(5));

  @Test
  void failuresInARowWaitTwiceAsLongUpToTheMaximum() {
    assertThat(waits(8)).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L);
  }

  @Test
  void aConsumerThatPolledForTheResetTimeStartsTheRowAgain() {
    waits(4);

    assertThat(backoff.afterFailure(Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.afterFailure(Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aConsumerThatPolledForLessThanTheResetTimeWaitsLonger() {
    waits(2);

    assertThat(backoff.afterFailure(Duration.ofMinutes(4))).isEqualTo(Duration.ofSeconds(4));
  }

  private Long[] waits(int failures) {
    Long[] waits = new Long[failures];
    for (int i = 0; i < failures; i++) {
      waits[i] = backoff.afterFailure(Duration.ZERO).toSeconds();
    }
    return waits;
  }
}
