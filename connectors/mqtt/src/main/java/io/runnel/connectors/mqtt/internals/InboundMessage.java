package io.runnel.connectors.mqtt.internals;

import java.util.List;
import java.util.Map;

/**
 * An MQTT message as the connector sees it, whatever the protocol version; {@link #acknowledge()}
 * tells the broker it may forget it, which the connector does only once Kafka stored it.
 */
record InboundMessage(
    String topic,
    byte[] payload,
    int qos,
    boolean retain,
    String contentType,
    List<Map.Entry<String, String>> userProperties,
    Runnable acknowledgement) {

  void acknowledge() {
    acknowledgement.run();
  }
}
