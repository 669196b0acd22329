package io.runnel.runtime;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;

/**
 * How the runtime runs every function, under {@code runnel.runtime} (the instance id, which
 * connectors share, is {@link io.runnel.support.InstanceSettings}).
 */
@ConfigurationProperties("runnel.runtime")
public class RuntimeSettings {

  private boolean enabled = true;
  private Duration commitInterval = Duration.ofMillis(500);
  private Duration drainTimeout = Duration.ofSeconds(30);
  private DeadLetterHeaderStyle deadLetterHeaderStyle = DeadLetterHeaderStyle.RUNNEL;

  /** {@code runnel.runtime.enabled}: false starts no consumers (default true). */
  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * {@code runnel.runtime.commit-interval}: how often finished offsets are committed (default
   * 500ms).
   */
  public Duration getCommitInterval() {
    return commitInterval;
  }

  public void setCommitInterval(Duration commitInterval) {
    this.commitInterval = commitInterval;
  }

  /**
   * {@code runnel.runtime.drain-timeout}: how long a revoke or shutdown waits for running records
   * before it commits and lets go (default 30s).
   */
  public Duration getDrainTimeout() {
    return drainTimeout;
  }

  public void setDrainTimeout(Duration drainTimeout) {
    this.drainTimeout = drainTimeout;
  }

  /** {@code runnel.runtime.dead-letter-header-style}: RUNNEL, SPRING, SMALLRYE or CONNECT. */
  public DeadLetterHeaderStyle getDeadLetterHeaderStyle() {
    return deadLetterHeaderStyle;
  }

  public void setDeadLetterHeaderStyle(DeadLetterHeaderStyle deadLetterHeaderStyle) {
    this.deadLetterHeaderStyle = deadLetterHeaderStyle;
  }

  /** Fails start-up with the name of the setting when a value is out of range. */
  public void validate() {
    if (commitInterval.isNegative() || commitInterval.isZero()) {
      throw new ConfigurationException(
          "runnel.runtime.commit-interval must be positive, was " + commitInterval);
    }
    if (drainTimeout.isNegative()) {
      throw new ConfigurationException(
          "runnel.runtime.drain-timeout must not be negative, was " + drainTimeout);
    }
  }
}
