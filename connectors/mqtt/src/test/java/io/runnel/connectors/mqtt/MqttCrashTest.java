package io.runnel.connectors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.test.Await;
import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills the connector process (a separate JVM, SIGKILL) while 100 devices publish 10,000 messages,
 * restarts it with the same MQTT session, and checks that every message reached Kafka, in order per
 * device: what was not acknowledged before the kill, the broker delivers again.
 */
@RunnelTest(startContext = false)
class MqttCrashTest {

  private static final Logger LOG = LoggerFactory.getLogger(MqttCrashTest.class);
  private static final String TOPIC = "mq.crash";
  private static final int DEVICES = 100;
  private static final int PER_DEVICE = 100;

  @Test
  void killingTheConnectorMidStreamLosesNoMessage(RunnelTestKit kit) throws Exception {
    Path logs = Path.of("target", "mqtt-crash-test");
    logs.toFile().mkdirs();
    Files.deleteIfExists(logs.resolve("run-1.log"));
    Files.deleteIfExists(logs.resolve("run-2.log"));
    int httpPort = freePort();
    Process first = start(kit, logs.resolve("run-1.log").toFile(), httpPort);
    CompletableFuture<Void> publishing;
    int beforeKill;
    try {
      // The session must exist before the devices publish, so the broker queues for it.
      awaitSubscribed(first, httpPort);
      publishing =
          CompletableFuture.runAsync(
              () -> MqttConnectorTest.Devices.publish("crash-test", DEVICES, PER_DEVICE));
      beforeKill = kit.awaitRecords(TOPIC, 3_000, r -> true, Duration.ofSeconds(120)).size();
    } finally {
      first.destroyForcibly().waitFor();
    }
    LOG.info("Killed the connector after at least {} messages reached {}", beforeKill, TOPIC);
    Process second = start(kit, logs.resolve("run-2.log").toFile(), freePort());
    try {
      publishing.get();
      Set<String> seen = new HashSet<>();
      List<ReceivedRecord> firstAppearances =
          kit.awaitRecords(
              TOPIC,
              DEVICES * PER_DEVICE,
              record ->
                  seen.add(
                      record.key() + "/" + ((GenericRecord) record.value()).get("temperatureC")),
              Duration.ofSeconds(180));
      MqttConnectorTest.Devices.assertCompleteAndOrdered(firstAppearances, DEVICES, PER_DEVICE);
      long total = MqttConnectorTest.Devices.recordsIn(kit, TOPIC);
      LOG.info(
          "All {} messages in Kafka in order per device; {} delivered twice around the kill",
          firstAppearances.size(),
          total - firstAppearances.size());
    } finally {
      second.destroy();
      second.waitFor();
    }
  }

  /**
   * Waits until the connector process's {@code /health} is UP: connected and subscribed, so the
   * broker queues for its session from now on.
   */
  private static void awaitSubscribed(Process process, int httpPort) {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/health")).build();
    Await.until(
        "the connector's /health UP on port " + httpPort,
        Duration.ofSeconds(60),
        () -> {
          assertThat(process.isAlive()).as("connector process alive").isTrue();
          try {
            HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
          } catch (IOException notListeningYet) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        });
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Process start(RunnelTestKit kit, File log, int httpPort) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m"));
    Map.of(
            "runnel.kafka.bootstrap-servers",
            kit.bootstrapServers(),
            "runnel.schema-registry.url",
            kit.registryUrl(),
            "runnel.runtime.enabled",
            "false",
            "micronaut.server.port",
            String.valueOf(httpPort),
            "runnel.mqtt.port",
            String.valueOf(TestMqttBroker.shared().port()),
            "runnel.mqtt.client-id",
            "crash-connector",
            "runnel.mqtt.routes.telemetry.filter",
            "crash-test/+/telemetry",
            "runnel.mqtt.routes.telemetry.topic",
            TOPIC,
            "runnel.mqtt.routes.telemetry.schema",
            "io.runnel.examples.iot.SensorReading")
        .forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), MqttMain.class.getName()));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
        .start();
  }
}
