package io.runnel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.examples.iot.SensorReading;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.schedule.ScheduleTick;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * The images of {@code ./mvnw -Pimage package}, checked without a container engine (none is here):
 * each image's entry point runs as its container would (see {@link ImageEntryPoint}), with the
 * environment {@code deploy/compose/compose.yml} gives its service, against this test's broker and
 * registry, and must answer the compose health check, move one event where it moves events, and
 * stop on SIGTERM. CDC and MQTT have no PostgreSQL or MQTT broker here: they are checked for
 * starting, staying alive and reporting not ready, as compose would see them before their outside
 * system is up; their data paths are tested in their own modules.
 */
@RunnelTest(startContext = false)
class ImageEntryPointTest {

  // Each entry point is a JVM of its own starting on a machine shared with other builds.
  private static final Duration PATIENCE = Duration.ofSeconds(180);
  private static final int SIGTERM_EXIT = 143;

  /** Logged by every entry point once it serves HTTP (Micronaut's line, or Runnel's alike). */
  private static final String STARTUP_LINE = "Startup completed in";

  /** A line of Runnel's text appender ({@code io/runnel/logback-text.xml}) at INFO. */
  private static final String TEXT_INFO_LINE = "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO .*";

  /** Each compose service of a {@code runnel/*} image, and the module that builds the image. */
  private static final Map<String, String> MODULES =
      Map.of(
          "registry", "framework/registry-server",
          "http-gateway", "connectors/http",
          "cdc", "connectors/cdc",
          "mqtt", "connectors/mqtt",
          "scheduler", "connectors/cron",
          "examples", "function-examples");

  @Test
  void everyRunnelImageInComposeIsBuiltByAModuleWithThePortItsHealthCheckProbes()
      throws IOException {
    Set<String> runnelServices = new TreeSet<>();
    ImageEntryPoint.composeServices()
        .forEach(
            (service, settings) -> {
              if (String.valueOf(settings.get("image")).startsWith("runnel/")) {
                runnelServices.add(service);
              }
            });
    assertThat(runnelServices).isEqualTo(new TreeSet<>(MODULES.keySet()));
    MODULES.forEach(
        (service, module) -> {
          ImageEntryPoint image = ImageEntryPoint.of(service, module);
          assertThat(image.imageName).as(module + "'s image").isEqualTo(image.composeImage);
          assertThat(image.mainClass).as(module + "'s main class").isNotBlank();
          String port = String.valueOf(image.healthCheckPort);
          assertThat(image.ports).as(service + ": the image's ports").containsExactly(port);
          assertThat(image.imageEnvironment).containsEntry("MICRONAUT_SERVER_PORT", port);
          assertThat(image.composeEnvironment).containsEntry("MICRONAUT_SERVER_PORT", port);
          assertThat(image.healthCheckPath).isEqualTo("/health/readiness");
        });
  }

  @Test
  void registryImageRegistersAndServesSchemas(RunnelTestKit kit) throws Exception {
    run(
        kit,
        "registry",
        Map.of(),
        running -> {
          SchemaRegistryClient registry =
              // A minute per call, as the test kit's: the registry's first write creates its
              // topic, which can take longer than the client's default 10 s on a busy machine.
              new SchemaRegistryClient(
                  "http://localhost:" + running.port(), Duration.ofSeconds(60), null);
          Schema schema =
              SchemaBuilder.record("ImageCheck").fields().requiredString("name").endRecord();
          int id = registry.register("image-check-value", schema);
          assertThat(registry.getById(id)).isEqualTo(schema);
          assertThat(registry.getVersions("image-check-value")).containsExactly(1);
        });
  }

  @Test
  void withLogFormatJsonAnImageLogsOneJsonObjectPerLine(RunnelTestKit kit) throws Exception {
    ImageEntryPoint image = ImageEntryPoint.of("registry", MODULES.get("registry"));
    try (ImageEntryPoint.Running running = start(kit, image, Map.of("LOG_FORMAT", "json"))) {
      JsonNode line = new ObjectMapper().readTree(running.awaitLine(STARTUP_LINE, PATIENCE));
      assertThat(line.path("level").asText()).isEqualTo("INFO");
      assertThat(line.path("message").asText()).startsWith(STARTUP_LINE);
      assertThat(running.stop(PATIENCE)).as("exit code after SIGTERM").isEqualTo(SIGTERM_EXIT);
    }
  }

  @Test
  void httpGatewayImageTurnsAPostedReadingIntoAnEvent(RunnelTestKit kit) throws Exception {
    String device = "gateway-" + UUID.randomUUID();
    run(
        kit,
        "http-gateway",
        Map.of(),
        running -> {
          HttpResponse<String> response =
              post(
                  running.port(),
                  "/readings",
                  "{\"deviceId\": \""
                      + device
                      + "\", \"timestamp\": \"2026-11-23T10:15:30Z\", \"temperatureC\": 21.5}");
          assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
          awaitEventAbout(kit, "iot.telemetry", device);
        });
  }

  @Test
  void examplesImageRaisesAnAlertForAHotReading(RunnelTestKit kit) throws Exception {
    String device = "examples-" + UUID.randomUUID();
    run(
        kit,
        "examples",
        Map.of(),
        running -> {
          kit.send(
              "iot.telemetry",
              device,
              SensorReading.newBuilder()
                  .setDeviceId(device)
                  .setTimestamp(Instant.now())
                  .setTemperatureC(95.0)
                  .build());
          awaitEventAbout(kit, "iot.alerts", device);
        });
  }

  @Test
  void schedulerImagePublishesTicks(RunnelTestKit kit) throws Exception {
    // compose's schedule fires at 3 a.m.: one more, every second, shows ticks going out.
    run(
        kit,
        "scheduler",
        Map.of("RUNNEL_SCHEDULES_IMAGECHECK_FIXED_RATE", "1s"),
        running ->
            assertThat(
                    kit.awaitRecords("schedule.imagecheck", 1, record -> true, PATIENCE)
                        .getFirst()
                        .value(ScheduleTick.class)
                        .getSchedule())
                .hasToString("imagecheck"));
  }

  @Test
  void cdcImageRunsAndIsNotReadyWithoutItsDatabase(RunnelTestKit kit) throws Exception {
    runWithoutOutsideSystem(kit, "cdc");
  }

  @Test
  void mqttImageRunsAndIsNotReadyWithoutItsMqttBroker(RunnelTestKit kit) throws Exception {
    runWithoutOutsideSystem(kit, "mqtt");
  }

  /** Alive (liveness 200) but not ready (503) while compose's PostgreSQL or Mosquitto is absent. */
  private static void runWithoutOutsideSystem(RunnelTestKit kit, String service) throws Exception {
    ImageEntryPoint image = ImageEntryPoint.of(service, MODULES.get(service));
    try (ImageEntryPoint.Running running = start(kit, image, Map.of())) {
      running.awaitAnswer("/health/liveness", 200, PATIENCE);
      running.awaitAnswer(image.healthCheckPath, 503, PATIENCE);
      assertThat(running.awaitLine(STARTUP_LINE, PATIENCE)).matches(TEXT_INFO_LINE);
      assertThat(running.stop(PATIENCE)).as("exit code after SIGTERM").isEqualTo(SIGTERM_EXIT);
    }
  }

  /**
   * Starts the service's image entry point, waits until compose's health check would pass, runs
   * {@code check}, and stops it with SIGTERM.
   */
  private static void run(
      RunnelTestKit kit,
      String service,
      Map<String, String> additions,
      Consumer<ImageEntryPoint.Running> check)
      throws Exception {
    ImageEntryPoint image = ImageEntryPoint.of(service, MODULES.get(service));
    try (ImageEntryPoint.Running running = start(kit, image, additions)) {
      running.awaitAnswer(image.healthCheckPath, 200, PATIENCE);
      try {
        assertThat(running.awaitLine(STARTUP_LINE, PATIENCE))
            .as("the start-up line, logged by the image's logback.xml")
            .matches(TEXT_INFO_LINE);
        check.accept(running);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            e.getMessage() + "\n" + service + "'s output:" + running.output(), e);
      }
      assertThat(running.stop(PATIENCE)).as("exit code after SIGTERM").isEqualTo(SIGTERM_EXIT);
    }
  }

  private static ImageEntryPoint.Running start(
      RunnelTestKit kit, ImageEntryPoint image, Map<String, String> additions) throws IOException {
    Path logs = Files.createDirectories(Path.of("target", "image-entry-points"));
    return image.start(
        Map.of("kafka:9092", kit.bootstrapServers(), "http://registry:8081", kit.registryUrl()),
        additions,
        freePort(),
        logs.resolve(image.service + ".log"));
  }

  /** Waits for an event on {@code topic} whose {@code deviceId} is {@code device}. */
  private static void awaitEventAbout(RunnelTestKit kit, String topic, String device) {
    kit.awaitRecords(
        topic,
        1,
        record -> device.equals(String.valueOf(record.value(GenericRecord.class).get("deviceId"))),
        PATIENCE);
  }

  private static HttpResponse<String> post(int port, String path, String json) {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(
          HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
