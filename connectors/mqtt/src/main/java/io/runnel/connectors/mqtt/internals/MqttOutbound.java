package io.runnel.connectors.mqtt.internals;

import com.hivemq.client.mqtt.datatypes.MqttTopic;
import io.micronaut.context.exceptions.ConfigurationException;
import io.runnel.connectors.mqtt.MqttOutboundSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericRecord;

/**
 * A checked way back to devices: the Kafka topic read, and the MQTT topic template filled from each
 * record ({@code {key}} or a top-level field of the value).
 */
record MqttOutbound(
    String name,
    String kafkaTopic,
    String template,
    List<String> placeholders,
    int qos,
    boolean retain) {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}/]+)}");

  static MqttOutbound of(MqttOutboundSettings settings) {
    String prefix = "runnel.mqtt.outbound." + settings.getName() + ".";
    if (settings.getKafkaTopic() == null || settings.getKafkaTopic().isBlank()) {
      throw new ConfigurationException(prefix + "kafka-topic must be set");
    }
    if (settings.getMqttTopic() == null || settings.getMqttTopic().isBlank()) {
      throw new ConfigurationException(
          prefix + "mqtt-topic must be set, e.g. devices/{deviceId}/commands");
    }
    if (settings.getQos() < 0 || settings.getQos() > 2) {
      throw new ConfigurationException(prefix + "qos must be 0, 1 or 2, was " + settings.getQos());
    }
    List<String> placeholders = new ArrayList<>();
    Matcher matcher = PLACEHOLDER.matcher(settings.getMqttTopic());
    while (matcher.find()) {
      placeholders.add(matcher.group(1));
    }
    String sample = PLACEHOLDER.matcher(settings.getMqttTopic()).replaceAll("x");
    try {
      MqttTopic.of(sample);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          prefix
              + "mqtt-topic: '"
              + settings.getMqttTopic()
              + "' is not an MQTT topic: "
              + e.getMessage());
    }
    return new MqttOutbound(
        settings.getName(),
        settings.getKafkaTopic(),
        settings.getMqttTopic(),
        List.copyOf(placeholders),
        settings.getQos(),
        settings.isRetain());
  }

  /**
   * The MQTT topic for a record.
   *
   * @throws IllegalArgumentException naming the placeholder that has no value, or when a value
   *     makes an invalid topic (a wildcard, an empty level)
   */
  String topicFor(String key, GenericRecord value) {
    String topic = template;
    for (String placeholder : placeholders) {
      Object filled;
      if (placeholder.equals("key")) {
        filled = key;
      } else if (value.getSchema().getField(placeholder) == null) {
        throw new IllegalArgumentException(
            "the value ("
                + value.getSchema().getFullName()
                + ") has no field '"
                + placeholder
                + "'");
      } else {
        filled = value.get(placeholder);
      }
      String text = filled == null ? "" : filled.toString();
      if (text.isEmpty() || text.contains("/") || text.contains("+") || text.contains("#")) {
        throw new IllegalArgumentException(
            "{" + placeholder + "} is '" + text + "', which cannot be one MQTT topic level");
      }
      topic = topic.replace("{" + placeholder + "}", text);
    }
    MqttTopic.of(topic);
    return topic;
  }
}
