package io.runnel.runtime;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * How often and how patiently a function process checks that the Kafka cluster and the schema
 * registry answer, for the {@code kafka} and {@code schema-registry} entries of {@code
 * /health/readiness}, under {@code runnel.runtime.health}. A probe reads the last check's outcome:
 * it never waits for the cluster or the registry itself.
 */
@ConfigurationProperties("runnel.runtime.health")
public class HealthCheckSettings {

  private Duration checkInterval = Duration.ofSeconds(10);
  private Duration checkTimeout = Duration.ofSeconds(5);

  /** {@code runnel.runtime.health.check-interval}: the time between two checks (default 10s). */
  public Duration getCheckInterval() {
    return checkInterval;
  }

  public void setCheckInterval(Duration checkInterval) {
    this.checkInterval = checkInterval;
  }

  /**
   * {@code runnel.runtime.health.check-timeout}: how long a check waits for an answer before it
   * reports the cluster or registry unreachable (default 5s).
   */
  public Duration getCheckTimeout() {
    return checkTimeout;
  }

  public void setCheckTimeout(Duration checkTimeout) {
    this.checkTimeout = checkTimeout;
  }

  /** Fails start-up with the name of the setting when a value is out of range. */
  public void validate() {
    DurationSetting.requirePositive("runnel.runtime.health.check-interval", checkInterval);
    DurationSetting.requirePositive("runnel.runtime.health.check-timeout", checkTimeout);
  }
}
