package io.runnel.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.runnel.examples.iot.SensorReading;
import io.runnel.registry.CompatibilityLevel;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.serde.AvroDeserializer;
import io.runnel.test.Await;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevEnvironmentTest {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dataDir;

  /** Everything on free ports; MQTT and PostgreSQL on or off. */
  DevOptions freePorts(boolean services, boolean clean) {
    DevOptions.Service service = services ? DevOptions.Service.on(0) : DevOptions.Service.off();
    return new DevOptions(0, 0, 0, service, service, dataDir, clean);
  }

  @Test
  void mqttMessagesAndOrderRowsReachKafkaThroughTheConnectors() throws Exception {
    try (DevEnvironment dev = DevEnvironment.start(freePorts(true, false))) {
      int mqttPort = dev.mqttPort().orElseThrow();
      String jdbcUrl = dev.postgresJdbcUrl().orElseThrow();
      assertThat(dev.servicesLine())
          .contains(
              "Runnel dev services: mqtt=tcp://localhost:"
                  + mqttPort
                  + " postgres=postgresql://runnel@localhost:"
                  + URI.create(jdbcUrl.substring("jdbc:".length())).getPort()
                  + "/runnel");

      Mqtt5BlockingClient device = device(mqttPort);
      device
          .publishWith()
          .topic("devices/sensor-7/telemetry")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(
              """
              {"deviceId": "sensor-7", "timestamp": "2026-11-30T10:00:00Z", "temperatureC": 21.5}"""
                  .getBytes(StandardCharsets.UTF_8))
          .send();
      device.disconnect();
      GenericRecord reading = awaitValue(dev, "iot.telemetry");
      assertThat(reading.get("deviceId").toString()).isEqualTo("sensor-7");
      assertThat(reading.get("temperatureC")).isEqualTo(21.5);

      try (Connection db = DriverManager.getConnection(jdbcUrl);
          Statement sql = db.createStatement()) {
        sql.execute(
            "INSERT INTO customers (id, name, email, country) VALUES (41, 'Ada', 'ada@example.com', 'GB')");
        sql.execute(
            "INSERT INTO orders (id, customer_id, amount, currency) VALUES (7, 41, 19.90, 'EUR')");
      }
      GenericRecord order = awaitValue(dev, "cdc.public.orders");
      assertThat(order.get("id")).isEqualTo(7L);
      assertThat(order.get("customer_id")).isEqualTo(41L);
      assertThat(order.get("currency").toString()).isEqualTo("EUR");
      assertThat(order.get("status").toString()).isEqualTo("NEW");
      assertThat(awaitValue(dev, "cdc.public.customers").get("country").toString()).isEqualTo("GB");
    }
  }

  @Test
  void dataSurvivesARestartOfDevModeAndCleanWipesIt() throws Exception {
    int id;
    try (DevEnvironment dev = DevEnvironment.start(freePorts(true, false))) {
      assertThat(dev.readyLine())
          .matches("Runnel dev ready: kafka=localhost:\\d+ registry=http://localhost:\\d+");
      SchemaRegistryClient registry = new SchemaRegistryClient(dev.registryUrl());
      id = registry.register("iot.telemetry-value", SensorReading.getClassSchema());
      registry.setCompatibility(CompatibilityLevel.FULL);
      try (Connection db = DriverManager.getConnection(dev.postgresJdbcUrl().orElseThrow());
          Statement sql = db.createStatement()) {
        sql.execute("INSERT INTO customers (name, country) VALUES ('Grace', 'US')");
      }
      Mqtt5BlockingClient device = device(dev.mqttPort().orElseThrow());
      device
          .publishWith()
          .topic("devices/sensor-1/config")
          .retain(true)
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload("interval=10".getBytes(StandardCharsets.UTF_8))
          .send();
      device.disconnect();

      HttpResponse<String> liveness = get(dev, "/health/liveness");
      assertThat(liveness.statusCode()).isEqualTo(200);
      HttpResponse<String> readiness = get(dev, "/health/readiness");
      assertThat(readiness.statusCode()).isEqualTo(200);
      assertThat(readiness.body())
          .as("the entries' details, shown without authentication")
          .contains("\"details\"", "\"diskSpace\"");
    }
    assertThat(Files.exists(dataDir.resolve("kafka").resolve("meta.properties"))).isTrue();

    try (DevEnvironment dev = DevEnvironment.start(freePorts(true, false))) {
      SchemaRegistryClient registry = new SchemaRegistryClient(dev.registryUrl());
      assertThat(registry.getLatestVersion("iot.telemetry-value").id()).isEqualTo(id);
      assertThat(registry.getById(id)).isEqualTo(SensorReading.getClassSchema());
      assertThat(registry.getCompatibility()).isEqualTo(CompatibilityLevel.FULL);
      assertThat(customerNames(dev)).containsExactly("Grace");
      assertThat(retained(dev.mqttPort().orElseThrow(), "devices/sensor-1/config"))
          .contains("interval=10");
    }

    try (DevEnvironment dev = DevEnvironment.start(freePorts(true, true))) {
      assertThat(new SchemaRegistryClient(dev.registryUrl()).getSubjects()).isEmpty();
      assertThat(customerNames(dev)).isEmpty();
      assertThat(retained(dev.mqttPort().orElseThrow(), "devices/sensor-1/config")).isEmpty();
    }
  }

  @Test
  void withMqttAndPostgresOffNeitherRunsAndNoServicesLineIsPrinted() {
    try (DevEnvironment dev = DevEnvironment.start(freePorts(false, false))) {
      assertThat(dev.mqttPort()).isEmpty();
      assertThat(dev.postgresJdbcUrl()).isEmpty();
      assertThat(dev.servicesLine()).isEmpty();
    }
  }

  @Test
  void aTakenMqttPortMovesTheBrokerToTheNextFreePort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        DevEnvironment dev =
            DevEnvironment.start(
                new DevOptions(
                    0,
                    0,
                    0,
                    DevOptions.Service.on(taken.getLocalPort()),
                    DevOptions.Service.off(),
                    dataDir,
                    false))) {
      assertThat(dev.mqttPort().orElseThrow()).isGreaterThan(taken.getLocalPort());
      assertThat(dev.servicesLine())
          .contains("Runnel dev services: mqtt=tcp://localhost:" + dev.mqttPort().orElseThrow());
    }
  }

  @Test
  void aPortInUseIsNamedWithTheOptionToChange() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
      assertThatThrownBy(
              () ->
                  DevEnvironment.start(
                      new DevOptions(
                          taken.getLocalPort(),
                          0,
                          0,
                          DevOptions.Service.off(),
                          DevOptions.Service.off(),
                          dataDir,
                          false)))
          .hasMessageContaining("Port " + taken.getLocalPort() + " is already in use")
          .hasMessageContaining("--kafka-port");
    }
  }

  @Test
  void badCommandLineArgumentsAreRefusedWithAClearMessage() {
    StringWriter err = new StringWriter();
    int exit =
        RunnelDev.commandLine()
            .setErr(new PrintWriter(err))
            .execute("--kafka-port", "not-a-number");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--kafka-port").contains("not-a-number");

    StringWriter err2 = new StringWriter();
    int exit2 =
        RunnelDev.commandLine()
            .setErr(new PrintWriter(err2))
            .execute("--http-port", "70000", "--data-dir", dataDir.toString());
    assertThat(exit2).isEqualTo(1);
    assertThat(err2.toString()).contains("--http-port must be between 0 and 65535");
  }

  @Test
  void servicePortsAreCheckedAndAPortForAServiceTurnedOffIsRefused() {
    assertThatThrownBy(() -> options("--mqtt-port", "-1"))
        .hasMessage("--mqtt-port must be between 0 and 65535, was -1");
    assertThatThrownBy(() -> options("--postgres-port", "65536"))
        .hasMessage("--postgres-port must be between 0 and 65535, was 65536");
    assertThatThrownBy(() -> options("--no-postgres", "--postgres-port", "15432"))
        .hasMessage("--postgres-port and --no-postgres contradict each other: give one of them");
    assertThatThrownBy(() -> options("--no-mqtt", "--mqtt-port", "11883"))
        .hasMessage("--mqtt-port and --no-mqtt contradict each other: give one of them");
  }

  @Test
  void theOptionsTurnServicesOffAndMoveTheirPorts() {
    DevOptions moved = options("--no-mqtt", "--postgres-port", "15432");
    assertThat(moved.mqtt()).isEqualTo(DevOptions.Service.off());
    assertThat(moved.postgres()).isEqualTo(DevOptions.Service.on(15432));
    assertThat(options()).isEqualTo(DevOptions.defaults());
    assertThat(options("--no-postgres", "--clean").postgres()).isEqualTo(DevOptions.Service.off());
  }

  /** The options a command line asks for, without starting anything. */
  private static DevOptions options(String... args) {
    RunnelDev command = new RunnelDev();
    new picocli.CommandLine(command).parseArgs(args);
    return command.options();
  }

  private static Mqtt5BlockingClient device(int port) {
    Mqtt5BlockingClient client =
        MqttClient.builder()
            .useMqttVersion5()
            .serverHost("localhost")
            .serverPort(port)
            .buildBlocking();
    client.connect();
    return client;
  }

  /** The retained message on {@code topic}, if the broker has one. */
  private static Optional<String> retained(int port, String topic) throws InterruptedException {
    Mqtt5BlockingClient client = device(port);
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
        client.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      client.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
      // Retained messages are sent right after the SUBACK, before anything else on the topic.
      Optional<Mqtt5Publish> message = publishes.receive(5, TimeUnit.SECONDS);
      return message.map(
          m -> StandardCharsets.UTF_8.decode(m.getPayload().orElseThrow()).toString());
    } finally {
      client.disconnect();
    }
  }

  private static List<String> customerNames(DevEnvironment dev) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection db = DriverManager.getConnection(dev.postgresJdbcUrl().orElseThrow());
        ResultSet rows = db.createStatement().executeQuery("SELECT name FROM customers")) {
      while (rows.next()) {
        names.add(rows.getString(1));
      }
    }
    return names;
  }

  /** The first record on {@code topic}, decoded with its writer's schema. */
  private static GenericRecord awaitValue(DevEnvironment dev, String topic) {
    AvroDeserializer values =
        new AvroDeserializer(new SchemaRegistryClient(dev.registryUrl()), null, false);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                dev.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "dev-environment-test-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
      Await.until(
          "a record on " + topic,
          WAIT,
          () -> {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            return !seen.isEmpty();
          });
      return (GenericRecord) values.deserialize(topic, seen.get(0).value());
    }
  }

  private static HttpResponse<String> get(DevEnvironment dev, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + dev.httpPort() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
