package io.runnel.connectors.mqtt;

/** The MQTT protocol version the connector speaks to the broker. */
public enum MqttProtocol {
  /** MQTT 3.1.1: no user properties, content type or session expiry (the broker's own setting). */
  V3_1_1,
  /** MQTT 5 (the default). */
  V5
}
