package io.runnel.connectors.mqtt.internals;

import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.datatypes.MqttTopicFilter;
import io.micronaut.context.exceptions.ConfigurationException;
import io.runnel.connectors.mqtt.MqttRouteSettings;
import io.runnel.connectors.mqtt.PayloadFormat;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.support.ConfiguredSchema;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/**
 * A checked route: which MQTT topics it takes, and the Kafka topic, key level and schema their
 * messages get. {@code keyLevel} -1 means the whole MQTT topic is the key.
 */
record MqttRoute(
    String name,
    MqttTopicFilter filter,
    String topic,
    int keyLevel,
    PayloadFormat format,
    Schema schema) {

  /** Checks the settings; a bad one fails start-up naming it. */
  static MqttRoute of(MqttRouteSettings settings, SchemaRegistryClient registry) {
    String prefix = "runnel.mqtt.routes." + settings.getName() + ".";
    if (settings.getFilter() == null || settings.getFilter().isBlank()) {
      throw new ConfigurationException(prefix + "filter must be set, e.g. devices/+/telemetry");
    }
    MqttTopicFilter filter;
    try {
      filter = MqttTopicFilter.of(settings.getFilter());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          prefix
              + "filter: '"
              + settings.getFilter()
              + "' is not an MQTT topic filter: "
              + e.getMessage());
    }
    if (settings.getTopic() == null) {
      throw new ConfigurationException(prefix + "topic must be set (the Kafka topic)");
    }
    try {
      Topic.validate(settings.getTopic());
    } catch (InvalidTopicException e) {
      throw new ConfigurationException(prefix + "topic: " + e.getMessage());
    }
    List<String> levels = Arrays.asList(settings.getFilter().split("/", -1));
    int keyLevel;
    if (settings.getKeyLevel() != null) {
      keyLevel = settings.getKeyLevel();
      // Below a '#' any level may exist; otherwise the filter has the topics' levels.
      if (keyLevel < 0 || (!levels.contains("#") && keyLevel >= levels.size())) {
        throw new ConfigurationException(
            prefix
                + "key-level is "
                + keyLevel
                + ", but the filter "
                + settings.getFilter()
                + " has levels 0 to "
                + (levels.size() - 1));
      }
    } else {
      keyLevel = levels.indexOf("+");
    }
    Schema schema = null;
    if (settings.getFormat() == PayloadFormat.JSON) {
      schema =
          ConfiguredSchema.resolve(settings.getSchema(), settings.getSubject(), prefix, registry);
      if (schema.getType() != Schema.Type.RECORD) {
        throw new ConfigurationException(
            prefix + "schema must be an Avro record, was " + schema.getType());
      }
    } else if (settings.getSchema() != null || settings.getSubject() != null) {
      throw new ConfigurationException(
          prefix + "schema and subject are for format JSON; RAW uses the MqttMessage envelope");
    }
    return new MqttRoute(
        settings.getName(), filter, settings.getTopic(), keyLevel, settings.getFormat(), schema);
  }

  boolean matches(String mqttTopic) {
    return filter.matches(MqttTopic.of(mqttTopic));
  }

  /** The Kafka key of a message on {@code mqttTopic}: its key level, or the whole topic. */
  String key(String mqttTopic) {
    if (keyLevel < 0) {
      return mqttTopic;
    }
    String[] levels = mqttTopic.split("/", -1);
    return keyLevel < levels.length ? levels[keyLevel] : mqttTopic;
  }
}
