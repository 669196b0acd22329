package io.runnel.support;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.convert.format.MapFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * How functions reach Kafka, under {@code runnel.kafka}: the cluster address and extra client
 * properties for consumers and producers (any Kafka client setting, for example TLS or SASL).
 */
@ConfigurationProperties("runnel.kafka")
public class KafkaSettings {

  private String bootstrapServers;
  private Map<String, String> consumer = new HashMap<>();
  private Map<String, String> producer = new HashMap<>();

  /** {@code runnel.kafka.bootstrap-servers}: required. */
  public String getBootstrapServers() {
    return bootstrapServers;
  }

  public void setBootstrapServers(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /** {@code runnel.kafka.consumer.*}: passed to every function's consumer. */
  public Map<String, String> getConsumer() {
    return consumer;
  }

  public void setConsumer(
      @MapFormat(transformation = MapFormat.MapTransformation.FLAT) Map<String, String> consumer) {
    this.consumer = consumer;
  }

  /** {@code runnel.kafka.producer.*}: passed to the producer of outputs and dead letters. */
  public Map<String, String> getProducer() {
    return producer;
  }

  public void setProducer(
      @MapFormat(transformation = MapFormat.MapTransformation.FLAT) Map<String, String> producer) {
    this.producer = producer;
  }

  /**
   * The configuration of a producer whose sends count only once Kafka stored them: the cluster,
   * {@code runnel.kafka.producer.*}, acks=all and idempotence (not overridable), linger 5 ms and
   * {@code clientId} unless set.
   */
  public Map<String, Object> durableProducerConfig(String clientId) {
    Map<String, Object> config = new HashMap<>(producer);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    return config;
  }

  /**
   * The configuration of a consumer that commits its offsets itself: the cluster, {@code
   * runnel.kafka.consumer.*}, auto-commit off, and {@code groupId} (none when null, for a consumer
   * that assigns its partitions).
   */
  public Map<String, Object> manualCommitConsumerConfig(String groupId) {
    Map<String, Object> config = adminConfig();
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    if (groupId == null) {
      config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    } else {
      config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    }
    return config;
  }

  /**
   * The configuration of an admin client: the cluster and {@code runnel.kafka.consumer.*}, so TLS
   * or SASL settings given there apply.
   */
  public Map<String, Object> adminConfig() {
    Map<String, Object> config = new HashMap<>(consumer);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return config;
  }

  /**
   * Creates those of {@code topics} that do not exist yet (an admin client with the consumer's
   * extra settings, so TLS or SASL apply); waits 10 s at most.
   *
   * @throws KafkaException when Kafka does not answer or refuses
   */
  public void createTopicsIfMissing(List<NewTopic> topics) throws InterruptedException {
    try (Admin admin = Admin.create(adminConfig())) {
      for (Map.Entry<String, KafkaFuture<Void>> created :
          admin.createTopics(topics).values().entrySet()) {
        try {
          created.getValue().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new KafkaException(
                "cannot create " + created.getKey() + ": " + e.getCause(), e.getCause());
          }
        } catch (TimeoutException e) {
          throw new KafkaException("no answer creating " + created.getKey(), e);
        }
      }
    }
  }

  /** Fails start-up with the name of the setting when it is missing or malformed. */
  public void validate() {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new ConfigurationException(
          "runnel.kafka.bootstrap-servers is not set: give the Kafka cluster's address, e.g. localhost:9092 "
              + "(in application.yml or as RUNNEL_KAFKA_BOOTSTRAP_SERVERS)");
    }
    for (String server : bootstrapServers.split(",")) {
      if (!server.trim().matches("[^:\\s]+:\\d{1,5}")) {
        throw new ConfigurationException(
            "runnel.kafka.bootstrap-servers has an invalid entry '"
                + server.trim()
                + "': expected host:port");
      }
    }
  }
}
