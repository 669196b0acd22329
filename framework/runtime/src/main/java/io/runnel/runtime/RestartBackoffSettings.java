package io.runnel.runtime;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;

/**
 * How long a function's consumer waits before it is started again after it stopped on an error,
 * under {@code runnel.runtime.restart-backoff}: {@code initial}, doubling after each failure up to
 * {@code max}, and back to {@code initial} once a consumer has polled for {@code reset-after}.
 */
@ConfigurationProperties(RestartBackoffSettings.PREFIX)
public class RestartBackoffSettings {

  static final String PREFIX = "runnel.runtime.restart-backoff";

  private Duration initial = Duration.ofSeconds(1);
  private Duration max = Duration.ofSeconds(60);
  private Duration resetAfter = Duration.ofMinutes(5);

  /** {@code runnel.runtime.restart-backoff.initial}: the first wait (default 1s). */
  public Duration getInitial() {
    return initial;
  }

  public void setInitial(Duration initial) {
    this.initial = initial;
  }

  /** {@code runnel.runtime.restart-backoff.max}: the longest wait (default 60s). */
  public Duration getMax() {
    return max;
  }

  public void setMax(Duration max) {
    this.max = max;
  }

  /**
   * {@code runnel.runtime.restart-backoff.reset-after}: how long a consumer must have polled before
   * its next failure waits {@code initial} again (default 5m).
   */
  public Duration getResetAfter() {
    return resetAfter;
  }

  public void setResetAfter(Duration resetAfter) {
    this.resetAfter = resetAfter;
  }

  /** Fails start-up with the name of the setting when a value is out of range. */
  public void validate() {
    DurationSetting.requirePositive(PREFIX + ".initial", initial);
    DurationSetting.requirePositive(PREFIX + ".max", max);
    DurationSetting.requirePositive(PREFIX + ".reset-after", resetAfter);
    if (max.compareTo(initial) < 0) {
      throw new ConfigurationException(
          PREFIX
              + ".max must not be shorter than "
              + PREFIX
              + ".initial ("
              + initial
              + "), was "
              + max);
    }
  }
}
