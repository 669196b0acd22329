package io.runnel.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

  @Test
  void returnsTheFirstValueThatSatisfiesTheCondition() {
    AtomicInteger calls = new AtomicInteger();
    int value =
        Await.until("three calls", Duration.ofSeconds(30), calls::incrementAndGet, n -> n >= 3);
    assertThat(value).isEqualTo(3);
    assertThat(calls).hasValue(3);
  }

  @Test
  void failsNamingWhatItAwaitedAndTheLastValueSeen() {
    assertThatThrownBy(() -> Await.until("a miracle", Duration.ZERO, () -> 7, n -> n > 7))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("a miracle")
        .hasMessageContaining("7");
    assertThatThrownBy(() -> Await.until("never", Duration.ZERO, () -> false))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("never");
  }
}
