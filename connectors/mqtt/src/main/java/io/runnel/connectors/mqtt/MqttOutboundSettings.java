package io.runnel.connectors.mqtt;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;

/**
 * One way back to devices, under {@code runnel.mqtt.outbound.<name>}: the records of a Kafka topic
 * (a function's output, e.g. commands) are published as JSON to MQTT topics built from each record.
 */
@EachProperty("runnel.mqtt.outbound")
public class MqttOutboundSettings {

  private final String name;
  private String kafkaTopic;
  private String mqttTopic;
  private int qos = 1;
  private boolean retain;

  public MqttOutboundSettings(@Parameter String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  /** {@code runnel.mqtt.outbound.<name>.kafka-topic}: the Kafka topic read. Required. */
  public String getKafkaTopic() {
    return kafkaTopic;
  }

  public void setKafkaTopic(String kafkaTopic) {
    this.kafkaTopic = kafkaTopic;
  }

  /**
   * {@code runnel.mqtt.outbound.<name>.mqtt-topic}: the MQTT topic per record, with {@code {field}}
   * for a top-level field of the Avro value and {@code {key}} for the Kafka key, e.g. {@code
   * devices/{deviceId}/commands}. Required.
   */
  public String getMqttTopic() {
    return mqttTopic;
  }

  public void setMqttTopic(String mqttTopic) {
    this.mqttTopic = mqttTopic;
  }

  /** {@code runnel.mqtt.outbound.<name>.qos}: 0, 1 (default) or 2. */
  public int getQos() {
    return qos;
  }

  public void setQos(int qos) {
    this.qos = qos;
  }

  /** {@code runnel.mqtt.outbound.<name>.retain}: publish retained (default false). */
  public boolean isRetain() {
    return retain;
  }

  public void setRetain(boolean retain) {
    this.retain = retain;
  }
}
