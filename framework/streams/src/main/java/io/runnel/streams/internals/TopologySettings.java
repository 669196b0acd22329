package io.runnel.streams.internals;

import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.naming.conventions.StringConvention;
import io.micronaut.core.value.PropertyResolver;
import io.runnel.support.KafkaSettings;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The settings of one topology, under {@code runnel.streams.<name>}: Runnel's own ({@code enabled},
 * {@code close-timeout}, {@code dead-letter-topic}) and any Kafka Streams or Kafka client property,
 * passed through as written. Read once at start-up; a key Kafka does not know or a value it does
 * not take fails start-up naming the setting.
 *
 * @param name the topology's name
 * @param enabled whether to run it ({@code enabled}, default true)
 * @param closeTimeout how long closing may take on shutdown ({@code close-timeout}, default 30s)
 * @param deadLetterTopic where every dead letter goes ({@code dead-letter-topic}), or null for
 *     {@code <source-topic>.dlq}
 * @param streamsProperties the Kafka Streams properties given, by Kafka's names
 */
record TopologySettings(
    String name,
    boolean enabled,
    Duration closeTimeout,
    String deadLetterTopic,
    Map<String, Object> streamsProperties) {

  static final String PREFIX = "runnel.streams";
  private static final String ENABLED = "enabled";
  private static final String CLOSE_TIMEOUT = "close-timeout";
  private static final String DEAD_LETTER_TOPIC = "dead-letter-topic";
  private static final Set<String> OWN = Set.of(ENABLED, CLOSE_TIMEOUT, DEAD_LETTER_TOPIC);
  // Plain client properties reach every client of the application; Streams' own come last, so its
  // definition of a name the clients share wins.
  private static final Map<String, ConfigDef.ConfigKey> KAFKA_KEYS = new LinkedHashMap<>();

  static {
    for (ConfigDef definition :
        List.of(
            AdminClientConfig.configDef(),
            ConsumerConfig.configDef(),
            ProducerConfig.configDef(),
            StreamsConfig.configDef())) {
      KAFKA_KEYS.putAll(definition.configKeys());
    }
  }

  // Kafka Streams hands properties with these prefixes to the client or topic they name.
  private static final Set<String> CLIENT_PREFIXES =
      Set.of(
          StreamsConfig.CONSUMER_PREFIX,
          StreamsConfig.MAIN_CONSUMER_PREFIX,
          StreamsConfig.RESTORE_CONSUMER_PREFIX,
          StreamsConfig.GLOBAL_CONSUMER_PREFIX,
          StreamsConfig.PRODUCER_PREFIX,
          StreamsConfig.ADMIN_CLIENT_PREFIX,
          StreamsConfig.TOPIC_PREFIX,
          StreamsConfig.CLIENT_TAG_PREFIX);

  /** The settings of topology {@code name} in {@code configuration}. */
  static TopologySettings read(PropertyResolver configuration, String name) {
    String prefix = PREFIX + "." + name;
    Map<String, Object> streamsProperties = new LinkedHashMap<>();
    configuration
        .getProperties(prefix, StringConvention.RAW)
        .forEach(
            (key, value) -> {
              if (!OWN.contains(key)) {
                // As Kafka reads a property file: text, a list comma-separated.
                String text =
                    value instanceof Collection<?> list
                        ? String.join(",", list.stream().map(String::valueOf).toList())
                        : String.valueOf(value);
                validateKafkaProperty(prefix, key, text);
                streamsProperties.put(key, text);
              }
            });
    Duration closeTimeout =
        value(configuration, prefix, CLOSE_TIMEOUT, Duration.class, Duration.ofSeconds(30));
    if (closeTimeout.isNegative()) {
      throw new ConfigurationException(
          prefix + "." + CLOSE_TIMEOUT + " must not be negative, was " + closeTimeout);
    }
    String deadLetterTopic = value(configuration, prefix, DEAD_LETTER_TOPIC, String.class, null);
    return new TopologySettings(
        name,
        value(configuration, prefix, ENABLED, Boolean.class, true),
        closeTimeout,
        deadLetterTopic == null || deadLetterTopic.isBlank() ? null : deadLetterTopic,
        Map.copyOf(streamsProperties));
  }

  /** The topology's {@code application.id}: as configured, else {@code runnel-<name>}. */
  String applicationId() {
    Object configured = streamsProperties.get(StreamsConfig.APPLICATION_ID_CONFIG);
    return configured == null ? "runnel-" + name : configured.toString();
  }

  /**
   * The Kafka Streams configuration: the cluster of {@code runnel.kafka.bootstrap-servers}, {@code
   * runnel.kafka.consumer.*} for its consumers and admin client and {@code runnel.kafka.producer.*}
   * for its producer, {@code application.id} {@code runnel-<name>}, Runnel's dead-letter handlers,
   * then every property of {@code runnel.streams.<name>.*}, which win.
   *
   * @throws ConfigurationException naming the topology when Kafka Streams refuses the whole
   */
  Properties streamsConfig(KafkaSettings kafka, DeadLetters deadLetters) {
    Properties config = new Properties();
    kafka
        .getConsumer()
        .forEach(
            (key, value) -> {
              config.put(StreamsConfig.consumerPrefix(key), value);
              config.put(StreamsConfig.adminClientPrefix(key), value);
            });
    kafka
        .getProducer()
        .forEach((key, value) -> config.put(StreamsConfig.producerPrefix(key), value));
    if (kafka.getBootstrapServers() != null) {
      config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers());
    }
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
    config.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterDeserializationHandler.class.getName());
    config.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterProductionHandler.class.getName());
    config.putAll(streamsProperties);
    config.put(DeadLetters.CONFIG_KEY, deadLetters);
    try {
      new StreamsConfig(config);
    } catch (ConfigException e) {
      throw new ConfigurationException(PREFIX + "." + name + ": " + e.getMessage(), e);
    }
    return config;
  }

  /** Fails naming the entry of {@code runnel.streams} that is none of the {@code known} names. */
  static void rejectUnknownNames(PropertyResolver configuration, Set<String> known) {
    for (String name : configuration.getPropertyEntries(PREFIX)) {
      if (!known.contains(name)) {
        throw new ConfigurationException(
            PREFIX
                + "."
                + name
                + " configures no known topology; the @StreamsTopology names are "
                + known);
      }
    }
  }

  private static <T> T value(
      PropertyResolver configuration, String prefix, String key, Class<T> type, T fallback) {
    String setting = prefix + "." + key;
    if (!configuration.containsProperty(setting)) {
      return fallback;
    }
    return configuration
        .getProperty(setting, type)
        .orElseThrow(
            () ->
                new ConfigurationException(
                    setting
                        + " is not a valid "
                        + type.getSimpleName()
                        + ": "
                        + configuration.getProperty(setting, String.class).orElse("")));
  }

  /**
   * Fails naming {@code prefix.key} when Kafka knows no such property or would refuse its value.
   */
  private static void validateKafkaProperty(String prefix, String key, String value) {
    String setting = prefix + "." + key;
    if (CLIENT_PREFIXES.stream().anyMatch(key::startsWith)) {
      return;
    }
    ConfigDef.ConfigKey definition = KAFKA_KEYS.get(key);
    if (definition == null) {
      throw new ConfigurationException(
          setting
              + " is neither a Kafka Streams nor a Kafka client property, nor one of Runnel's ("
              + String.join(", ", OWN)
              + "): check its spelling against StreamsConfig");
    }
    try {
      Object parsed = ConfigDef.parseType(key, value, definition.type);
      if (definition.validator != null) {
        definition.validator.ensureValid(key, parsed);
      }
    } catch (ConfigException e) {
      throw new ConfigurationException(setting + ": " + e.getMessage(), e);
    }
  }
}
