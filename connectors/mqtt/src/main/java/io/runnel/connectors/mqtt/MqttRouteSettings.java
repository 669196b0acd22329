package io.runnel.connectors.mqtt;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;

/**
 * One route, under {@code runnel.mqtt.routes.<name>}: the MQTT topic filter subscribed to, and the
 * Kafka topic, key and value its messages become.
 */
@EachProperty("runnel.mqtt.routes")
public class MqttRouteSettings {

  private final String name;
  private String filter;
  private String topic;
  private Integer keyLevel;
  private PayloadFormat format = PayloadFormat.JSON;
  private String schema;
  private String subject;

  public MqttRouteSettings(@Parameter String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  /**
   * {@code runnel.mqtt.routes.<name>.filter}: an MQTT topic filter with {@code +} and {@code #}
   * wildcards, e.g. {@code devices/+/telemetry}. Required.
   */
  public String getFilter() {
    return filter;
  }

  public void setFilter(String filter) {
    this.filter = filter;
  }

  /** {@code runnel.mqtt.routes.<name>.topic}: the Kafka topic. Required. */
  public String getTopic() {
    return topic;
  }

  public void setTopic(String topic) {
    this.topic = topic;
  }

  /**
   * {@code runnel.mqtt.routes.<name>.key-level}: which level of the MQTT topic (0 = the first) is
   * the Kafka key; default: the level of the filter's first {@code +}, else the whole MQTT topic.
   * Messages with one key keep their order.
   */
  public Integer getKeyLevel() {
    return keyLevel;
  }

  public void setKeyLevel(Integer keyLevel) {
    this.keyLevel = keyLevel;
  }

  /** {@code runnel.mqtt.routes.<name>.format}: JSON (default) or RAW. */
  public PayloadFormat getFormat() {
    return format;
  }

  public void setFormat(PayloadFormat format) {
    this.format = format;
  }

  /**
   * {@code runnel.mqtt.routes.<name>.schema}: for JSON, the generated Avro class the payload
   * becomes, e.g. {@code io.runnel.examples.iot.SensorReading}; or give {@code subject}.
   */
  public String getSchema() {
    return schema;
  }

  public void setSchema(String schema) {
    this.schema = schema;
  }

  /**
   * {@code runnel.mqtt.routes.<name>.subject}: for JSON, a registry subject (its latest schema).
   */
  public String getSubject() {
    return subject;
  }

  public void setSubject(String subject) {
    this.subject = subject;
  }
}
