package io.runnel.connectors.mqtt;

/** How a route turns an MQTT payload into the Kafka record's value. */
public enum PayloadFormat {
  /**
   * A JSON object converted field by field to the route's Avro schema; bad JSON is dead-lettered.
   */
  JSON,
  /** The bytes as they are, in the {@code io.runnel.mqtt.MqttMessage} envelope. */
  RAW
}
