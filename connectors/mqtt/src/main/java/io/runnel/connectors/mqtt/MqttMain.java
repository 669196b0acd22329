package io.runnel.connectors.mqtt;

import io.runnel.support.StandaloneProcess;
import java.util.Map;

/**
 * Runs the MQTT connector as its own process (a container beside Kafka): settings come from {@code
 * application.yml}, system properties or environment variables ({@code RUNNEL_MQTT_HOST}, ...);
 * {@code runnel.mqtt.enabled} is on. Stops cleanly on SIGTERM.
 */
public final class MqttMain {

  private MqttMain() {}

  public static void main(String[] args) throws InterruptedException {
    StandaloneProcess.run(Map.of("runnel.mqtt.enabled", "true"), args);
  }
}
