package io.runnel.runtime;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;

/**
 * Pay-per-use metering, under {@code runnel.usage}: whether each instance publishes its functions'
 * usage (one {@code io.runnel.usage.UsageRecord} per function and minute) and to which topic.
 */
@ConfigurationProperties("runnel.usage")
public class UsageSettings {

  private boolean enabled = true;
  private String topic = "runnel.usage";

  /** {@code runnel.usage.enabled}: false counts and publishes no usage (default true). */
  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** {@code runnel.usage.topic}: where usage records go (default {@code runnel.usage}). */
  public String getTopic() {
    return topic;
  }

  public void setTopic(String topic) {
    this.topic = topic;
  }

  /** Fails start-up with the name of the setting when metering is on without a topic. */
  public void validate() {
    if (enabled && (topic == null || topic.isBlank())) {
      throw new ConfigurationException(
          "runnel.usage.topic is blank: name the usage topic, or set runnel.usage.enabled to false");
    }
  }
}
