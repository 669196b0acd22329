package io.runnel.connectors.cron;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * How the instances of a deployment agree on who fires the schedules, under {@code
 * runnel.scheduler}. All instances that share {@code group} compete; the one Kafka gives partition
 * 0 of {@code state-topic} fires every schedule, the others stand by.
 */
@ConfigurationProperties("runnel.scheduler")
public class SchedulerSettings {

  private boolean enabled = true;
  private String group = "runnel-scheduler";
  private String stateTopic = "runnel-schedules";
  private Duration retryBackoff = Duration.ofSeconds(1);

  /** {@code runnel.scheduler.enabled}: false fires no schedule here (default true). */
  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * {@code runnel.scheduler.group}: the consumer group the instances compete in, also the
   * transactional id of the firing one, so a newly elected instance fences the old one (default
   * {@code runnel-scheduler}). Deployments with different schedules need different groups.
   */
  public String getGroup() {
    return group;
  }

  public void setGroup(String group) {
    this.group = group;
  }

  /**
   * {@code runnel.scheduler.state-topic}: a compacted one-partition topic holding, per schedule,
   * the time of the last tick published (default {@code runnel-schedules}; created if missing).
   */
  public String getStateTopic() {
    return stateTopic;
  }

  public void setStateTopic(String stateTopic) {
    this.stateTopic = stateTopic;
  }

  /**
   * {@code runnel.scheduler.retry-backoff}: the wait before trying again after Kafka or the
   * registry failed a publish (default 1s); the tick is published late, not lost.
   */
  public Duration getRetryBackoff() {
    return retryBackoff;
  }

  public void setRetryBackoff(Duration retryBackoff) {
    this.retryBackoff = retryBackoff;
  }
}
