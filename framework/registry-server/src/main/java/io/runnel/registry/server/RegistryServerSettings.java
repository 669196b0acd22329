package io.runnel.registry.server;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.runnel.registry.CompatibilityLevel;

/** Settings of the dev registry, under {@code runnel.registry-server}. */
@ConfigurationProperties("runnel.registry-server")
public class RegistryServerSettings {

  private String kafkaBootstrapServers;
  private String topic = "_schemas";
  private String defaultCompatibility = CompatibilityLevel.BACKWARD.name();

  /** The Kafka cluster that holds the registry's state. */
  public String getKafkaBootstrapServers() {
    if (kafkaBootstrapServers == null || kafkaBootstrapServers.isBlank()) {
      throw new ConfigurationException(
          "runnel.registry-server.kafka-bootstrap-servers is not set: the dev registry keeps its state in Kafka and needs the cluster's address");
    }
    return kafkaBootstrapServers;
  }

  public void setKafkaBootstrapServers(String kafkaBootstrapServers) {
    this.kafkaBootstrapServers = kafkaBootstrapServers;
  }

  /** The compacted topic holding every registered schema and compatibility setting. */
  public String getTopic() {
    return topic;
  }

  public void setTopic(String topic) {
    this.topic = topic;
  }

  /** The registry-wide compatibility level until one is set through the API. */
  public CompatibilityLevel getDefaultCompatibility() {
    try {
      return CompatibilityLevel.parse(defaultCompatibility);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          "runnel.registry-server.default-compatibility: " + e.getMessage());
    }
  }

  public void setDefaultCompatibility(String defaultCompatibility) {
    this.defaultCompatibility = defaultCompatibility;
  }
}
