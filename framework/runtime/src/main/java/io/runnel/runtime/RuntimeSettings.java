package io.runnel.runtime;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
  private boolean createTopics = true;
  private GroupProtocol groupProtocol = GroupProtocol.CLASSIC;
  private Topics topics = new Topics();

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

  /**
   * {@code runnel.runtime.create-topics}: whether start-up creates the topics functions need that
   * are missing (default true); when false, a missing one fails start-up naming it.
   */
  public boolean isCreateTopics() {
    return createTopics;
  }

  public void setCreateTopics(boolean createTopics) {
    this.createTopics = createTopics;
  }

  /**
   * {@code runnel.runtime.group-protocol}: {@code classic} (cooperative-sticky) or {@code consumer}
   * (KIP-848), the consumer group protocol of every function (default classic).
   */
  public GroupProtocol getGroupProtocol() {
    return groupProtocol;
  }

  public void setGroupProtocol(GroupProtocol groupProtocol) {
    this.groupProtocol = groupProtocol;
  }

  /** {@code runnel.runtime.topics.*}: how the topics start-up creates are made. */
  public Topics getTopics() {
    return topics;
  }

  public void setTopics(Topics topics) {
    this.topics = topics;
  }

  /**
   * How start-up creates a missing topic, under {@code runnel.runtime.topics}; each unset setting
   * leaves the choice to the rule in the README (partitions like the input, the broker's default
   * replication factor).
   */
  @ConfigurationProperties("topics")
  public static class Topics {

    private Integer partitions;
    private Short replicationFactor;

    /** {@code runnel.runtime.topics.partitions}: the partitions of every topic created. */
    public Optional<Integer> getPartitions() {
      return Optional.ofNullable(partitions);
    }

    public void setPartitions(Integer partitions) {
      this.partitions = partitions;
    }

    /** {@code runnel.runtime.topics.replication-factor}: the replicas of every topic created. */
    public Optional<Short> getReplicationFactor() {
      return Optional.ofNullable(replicationFactor);
    }

    public void setReplicationFactor(Short replicationFactor) {
      this.replicationFactor = replicationFactor;
    }
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
    if (topics.partitions != null && topics.partitions < 1) {
      throw new ConfigurationException(
          "runnel.runtime.topics.partitions must be at least 1, was " + topics.partitions);
    }
    if (topics.replicationFactor != null && topics.replicationFactor < 1) {
      throw new ConfigurationException(
          "runnel.runtime.topics.replication-factor must be at least 1, was "
              + topics.replicationFactor);
    }
  }

  /**
   * Fails start-up when the Kafka consumer settings ({@code runnel.kafka.consumer.*}) contradict
   * {@code runnel.runtime.group-protocol}: another {@code group.protocol}, or, with {@code
   * consumer}, a setting that KIP-848 leaves to the broker.
   */
  public void validateAgainst(Map<String, String> consumerSettings) {
    String protocol = consumerSettings.get("group.protocol");
    if (protocol != null && !protocol.equalsIgnoreCase(groupProtocol.kafkaName())) {
      throw new ConfigurationException(
          "runnel.kafka.consumer.group.protocol is "
              + protocol
              + " but runnel.runtime.group-protocol is "
              + groupProtocol.kafkaName()
              + ": set runnel.runtime.group-protocol only");
    }
    if (groupProtocol == GroupProtocol.CONSUMER) {
      for (String classicOnly :
          List.of("session.timeout.ms", "heartbeat.interval.ms", "partition.assignment.strategy")) {
        if (consumerSettings.containsKey(classicOnly)) {
          throw new ConfigurationException(
              "runnel.kafka.consumer."
                  + classicOnly
                  + " does not apply with runnel.runtime.group-protocol=consumer (the broker's"
                  + " group.consumer.* settings do): remove it, or use group-protocol classic");
        }
      }
    }
  }
}
