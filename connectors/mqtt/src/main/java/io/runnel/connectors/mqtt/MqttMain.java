package io.runnel.connectors.mqtt;

import io.micronaut.context.ApplicationContext;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the MQTT connector as its own process (a container beside Kafka): settings come from {@code
 * application.yml}, system properties or environment variables ({@code RUNNEL_MQTT_HOST}, ...);
 * {@code runnel.mqtt.enabled} is on. Stops cleanly on SIGTERM.
 */
public final class MqttMain {

  private MqttMain() {}

  public static void main(String[] args) throws InterruptedException {
    ApplicationContext context =
        ApplicationContext.builder()
            .properties(java.util.Map.of("runnel.mqtt.enabled", "true"))
            .args(args)
            .start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  context.close();
                  stopped.countDown();
                }));
    stopped.await();
  }
}
