package io.runnel.runtime;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;

/**
 * How the runtime watches each function's lag, under {@code runnel.scaling} (a function's own
 * targets are {@code runnel.functions.<name>.scaling.*}).
 */
@ConfigurationProperties("runnel.scaling")
public class ScalingSettings {

  private Duration interval = Duration.ofSeconds(2);

  /**
   * {@code runnel.scaling.interval}: how often each function reads the end offsets of its
   * partitions, in one request, and refreshes its lag meters (default 2s).
   */
  public Duration getInterval() {
    return interval;
  }

  public void setInterval(Duration interval) {
    this.interval = interval;
  }

  /** Fails start-up with the name of the setting when a value is out of range. */
  public void validate() {
    if (interval.isNegative() || interval.isZero()) {
      throw new ConfigurationException("runnel.scaling.interval must be positive, was " + interval);
    }
  }
}
