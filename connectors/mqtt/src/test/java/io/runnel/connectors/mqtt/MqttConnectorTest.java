package io.runnel.connectors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.runnel.examples.iot.CommandKind;
import io.runnel.examples.iot.DeviceCommand;
import io.runnel.registry.server.DevSchemaRegistry;
import io.runnel.test.Await;
import io.runnel.test.HealthProbe;
import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector in a running application against a real MQTT broker (HiveMQ CE in this JVM), the
 * test Kafka broker and the dev registry. Each test has its own topics and MQTT client id.
 */
@RunnelTest(startContext = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MqttConnectorTest {

  private static final Logger LOG = LoggerFactory.getLogger(MqttConnectorTest.class);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String READING = "io.runnel.examples.iot.SensorReading";

  static Map<String, Object> connector(RunnelTestKit kit, String clientId) {
    return connector(kit, clientId, TestMqttBroker.shared().port());
  }

  static Map<String, Object> connector(RunnelTestKit kit, String clientId, int mqttPort) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("runnel.kafka.bootstrap-servers", kit.bootstrapServers());
    properties.put("runnel.schema-registry.url", kit.registryUrl());
    properties.put("runnel.runtime.enabled", "false");
    properties.put("runnel.scheduler.enabled", "false");
    properties.put("runnel.mqtt.enabled", "true");
    properties.put("runnel.mqtt.port", mqttPort);
    properties.put("runnel.mqtt.client-id", clientId);
    return properties;
  }

  /** A route from {@code <prefix>/+/telemetry} to {@code topic}, JSON as SensorReading. */
  static void telemetryRoute(Map<String, Object> properties, String prefix, String topic) {
    properties.put("runnel.mqtt.routes.telemetry.filter", prefix + "/+/telemetry");
    properties.put("runnel.mqtt.routes.telemetry.topic", topic);
    properties.put("runnel.mqtt.routes.telemetry.schema", READING);
  }

  static Mqtt5AsyncClient device(String id) {
    return device(TestMqttBroker.shared().port(), id);
  }

  static Mqtt5AsyncClient device(int port, String id) {
    Mqtt5AsyncClient client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(id)
            .serverHost("127.0.0.1")
            .serverPort(port)
            .buildAsync();
    client.connect().join();
    return client;
  }

  static void publish(Mqtt5AsyncClient client, String topic, String payload) {
    client
        .publishWith()
        .topic(topic)
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(payload.getBytes(StandardCharsets.UTF_8))
        .send()
        .join();
  }

  /**
   * A device publishes one reading to {@code <prefix>/<deviceId>/telemetry}; it must reach {@code
   * kafkaTopic} keyed by the device.
   */
  static void publishOneAndAwait(
      RunnelTestKit kit, String clientId, String prefix, String deviceId, String kafkaTopic) {
    Mqtt5AsyncClient device = device(clientId);
    publish(device, prefix + "/" + deviceId + "/telemetry", reading(deviceId, 20.0));
    device.disconnect().join();
    assertThat(kit.awaitRecords(kafkaTopic, 1, r -> true, WAIT).get(0).key()).isEqualTo(deviceId);
  }

  static String reading(String device, double temperature) {
    return """
        {"deviceId": "%s", "timestamp": "2026-11-23T10:15:30Z", "temperatureC": %s}"""
        .formatted(device, temperature);
  }

  private static final String CALLER_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  @Order(1)
  void wildcardRoutesSetTopicKeyValueAndHeaders(RunnelTestKit kit) throws Exception {
    Map<String, Object> properties = connector(kit, "routing");
    telemetryRoute(properties, "route-test", "mq.telemetry");
    properties.put("runnel.mqtt.routes.firmware.filter", "plant/#");
    properties.put("runnel.mqtt.routes.firmware.topic", "mq.raw");
    properties.put("runnel.mqtt.routes.firmware.format", "RAW");
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      HealthProbe.await(context, "mqtt", "UP", WAIT);
      Mqtt5AsyncClient device = device("routing-device");
      device
          .publishWith()
          .topic("route-test/d-7/telemetry")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(reading("d-7", 21.5).getBytes(StandardCharsets.UTF_8))
          .userProperties()
          .add("site", "roof")
          .add("traceparent", "00-" + CALLER_TRACE_ID + "-00f067aa0ba902b7-01")
          .applyUserProperties()
          .send()
          .join();
      device
          .publishWith()
          .topic("plant/hall-1/line-2/status")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(new byte[] {0, 1, 2, (byte) 255})
          .contentType("application/octet-stream")
          .send()
          .join();
      device.disconnect().join();

      ReceivedRecord telemetry = kit.awaitRecords("mq.telemetry", 1, r -> true, WAIT).get(0);
      GenericRecord value = (GenericRecord) telemetry.value();
      assertThat(telemetry.key()).isEqualTo("d-7");
      assertThat(value.getSchema().getFullName()).isEqualTo(READING);
      assertThat(value.get("temperatureC")).isEqualTo(21.5);
      assertThat(value.get("timestamp"))
          .isEqualTo(Instant.parse("2026-11-23T10:15:30Z").toEpochMilli());
      assertThat(telemetry.header("runnel.mqtt.topic")).isEqualTo("route-test/d-7/telemetry");
      assertThat(telemetry.header("runnel.mqtt.qos")).isEqualTo("1");
      assertThat(telemetry.header("runnel.mqtt.retain")).isEqualTo("false");
      assertThat(telemetry.header("runnel.mqtt.user.site")).isEqualTo("roof");
      // The device's trace continues, in a span of the connector's own.
      assertThat(telemetry.header("traceparent"))
          .startsWith("00-" + CALLER_TRACE_ID + "-")
          .doesNotContain("00f067aa0ba902b7");

      ReceivedRecord raw = kit.awaitRecords("mq.raw", 1, r -> true, WAIT).get(0);
      GenericRecord envelope = (GenericRecord) raw.value();
      assertThat(raw.key()).isEqualTo("plant/hall-1/line-2/status");
      assertThat(envelope.getSchema().getFullName()).isEqualTo("io.runnel.mqtt.MqttMessage");
      assertThat(envelope.get("mqttTopic")).hasToString("plant/hall-1/line-2/status");
      assertThat(((ByteBuffer) envelope.get("payload")).array())
          .containsExactly(0, 1, 2, (byte) 255);
      assertThat(envelope.get("contentType")).hasToString("application/octet-stream");
      // Without a traceparent property the message starts a trace of its own.
      assertThat(raw.header("traceparent"))
          .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01")
          .doesNotContain(CALLER_TRACE_ID);
    }
  }

  @Test
  @Order(2)
  void badPayloadsGoToTheDeadLetterTopicAndTheSubscriptionKeepsFlowing(RunnelTestKit kit)
      throws Exception {
    Map<String, Object> properties = connector(kit, "bad-payloads");
    telemetryRoute(properties, "bad-test", "mq.bad.telemetry");
    properties.put("runnel.mqtt.max-payload-size", 200);
    properties.put("runnel.mqtt.dead-letter-topic", "mq.bad.dlq");
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      HealthProbe.await(context, "mqtt", "UP", WAIT);
      Mqtt5AsyncClient device = device("bad-device");
      publish(device, "bad-test/d-1/telemetry", "{\"deviceId\": \"d-1\", ");
      publish(
          device,
          "bad-test/d-2/telemetry",
          "{\"deviceId\": \"d-2\", \"timestamp\": 1, \"temperatureC\": \"hot\"}");
      publish(device, "bad-test/d-3/telemetry", reading("d-3", 20.0) + " ".repeat(300));
      publish(device, "bad-test/d-4/telemetry", reading("d-4", 22.0));
      device.disconnect().join();

      List<ReceivedRecord> dead = kit.awaitRecords("mq.bad.dlq", 3, r -> true, WAIT);
      assertThat(dead).extracting(ReceivedRecord::key).containsExactly("d-1", "d-2", "d-3");
      assertThat(dead.get(0).header("runnel.error.exception.message"))
          .startsWith("the payload is not JSON");
      assertThat(dead.get(1).header("runnel.error.exception.message"))
          .contains("field 'temperatureC'")
          .contains("io.runnel.examples.iot.SensorReading");
      assertThat(dead.get(1).header("runnel.error.field")).isEqualTo("temperatureC");
      assertThat(dead.get(2).header("runnel.error.exception.message"))
          .contains("more than runnel.mqtt.max-payload-size (200)");
      for (ReceivedRecord record : dead) {
        assertThat(record.header("runnel.mqtt.topic")).startsWith("bad-test/");
        assertThat(record.header("runnel.error.target.topic")).isEqualTo("mq.bad.telemetry");
        assertThat(record.header("runnel.error.stage")).isEqualTo("decode");
        assertThat(record.header("runnel.error.failed.at")).isNotNull();
      }
      assertThat(new String(dead.get(1).rawValue(), StandardCharsets.UTF_8)).contains("\"hot\"");
      ReceivedRecord good = kit.awaitRecords("mq.bad.telemetry", 1, r -> true, WAIT).get(0);
      assertThat(good.key()).isEqualTo("d-4");
      assertThat(HealthProbe.read(context, "mqtt").getDetails().toString())
          .contains("deadLettered=3");
      Await.until(
          "3 dead-lettered and 1 published message counted",
          WAIT,
          () -> messages(context, "dead_lettered") == 3 && messages(context, "published") == 1);
      assertThat(messages(context, "failed")).isZero();
    }
  }

  /** {@code runnel.mqtt.messages} of the telemetry route with {@code outcome}; 0 before any. */
  private static double messages(ApplicationContext context, String outcome) {
    Counter counter =
        context
            .getBean(MeterRegistry.class)
            .find("runnel.mqtt.messages")
            .tags("route", "telemetry", "outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  @Order(3)
  void tenThousandMessagesFromAHundredDevicesArriveCompleteAndInOrderPerDevice(RunnelTestKit kit)
      throws Exception {
    Map<String, Object> properties = connector(kit, "load");
    telemetryRoute(properties, "load-test", "mq.load");
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      HealthProbe.await(context, "mqtt", "UP", WAIT);
      long started = System.nanoTime();
      Devices.publish("load-test", 100, 100);
      List<ReceivedRecord> records = kit.awaitRecords("mq.load", 10_000, r -> true, WAIT);
      double seconds = (System.nanoTime() - started) / 1e9;
      Devices.assertCompleteAndOrdered(records, 100, 100);
      LOG.info(
          "10,000 MQTT messages from 100 devices in Kafka after {} s ({} messages/s)",
          String.format("%.2f", seconds),
          Math.round(10_000 / seconds));
    }
  }

  @Test
  @Order(4)
  void recordsOfAKafkaTopicArePublishedToTheDevicesTopics(RunnelTestKit kit) throws Exception {
    Map<String, Object> properties = connector(kit, "outbound");
    properties.put("runnel.mqtt.outbound.commands.kafka-topic", "mq.commands");
    properties.put("runnel.mqtt.outbound.commands.mqtt-topic", "out-test/{deviceId}/commands");
    LinkedBlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
    Mqtt5AsyncClient device = device("outbound-device");
    device
        .subscribeWith()
        .topicFilter("out-test/+/commands")
        .qos(MqttQos.AT_LEAST_ONCE)
        .callback(received::add)
        .send()
        .join();
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      kit.send(
          "mq.commands",
          "d-9",
          DeviceCommand.newBuilder()
              .setDeviceId("d-9")
              .setCommand(CommandKind.SET_INTERVAL)
              .setIssuedAt(Instant.parse("2026-11-23T11:00:00Z"))
              .setParameters(Map.of("intervalSeconds", "30"))
              .build());
      kit.sendRaw("mq.commands", "garbage", new byte[] {1, 2, 3});
      Mqtt5Publish command = received.poll(60, TimeUnit.SECONDS);
      assertThat(command).as("a command on out-test/d-9/commands").isNotNull();
      assertThat(command.getTopic()).hasToString("out-test/d-9/commands");
      assertThat(new String(command.getPayloadAsBytes(), StandardCharsets.UTF_8))
          .isEqualTo(
              "{\"deviceId\":\"d-9\",\"command\":\"SET_INTERVAL\","
                  + "\"issuedAt\":\"2026-11-23T11:00:00Z\",\"parameters\":{\"intervalSeconds\":\"30\"}}");
      ReceivedRecord dead =
          kit.awaitRecords("mqtt.dlq", 1, r -> "garbage".equals(r.key()), WAIT).get(0);
      assertThat(dead.header("runnel.error.stage")).isEqualTo("outbound");
      assertThat(dead.header("runnel.error.original.topic")).isEqualTo("mq.commands");
    } finally {
      device.disconnect().join();
    }
  }

  @Test
  @Order(5)
  void withKafkaDownNothingIsAcknowledgedAndTheBrokerKeepsTheMessages(RunnelTestKit kit)
      throws Exception {
    Map<String, Object> down = connector(kit, "kafka-down");
    down.put("runnel.kafka.bootstrap-servers", "localhost:" + freePort());
    down.put("runnel.mqtt.kafka-timeout", "2s");
    telemetryRoute(down, "down-test", "mq.down");
    Mqtt5AsyncClient device = device("down-device");
    try (ApplicationContext context = ApplicationContext.run(down)) {
      HealthProbe.await(context, "mqtt", "UP", WAIT);
      for (int i = 0; i < 5; i++) {
        publish(device, "down-test/d-" + i + "/telemetry", reading("d-" + i, i));
      }
      var health = HealthProbe.await(context, "mqtt", "DOWN", WAIT);
      assertThat(health.getDetails().toString()).contains("KAFKA_UNREACHABLE");
    }
    // The same session with Kafka back: the broker hands over what was never acknowledged.
    Map<String, Object> up = new HashMap<>(down);
    up.put("runnel.kafka.bootstrap-servers", kit.bootstrapServers());
    try (ApplicationContext context = ApplicationContext.run(up)) {
      List<ReceivedRecord> records = kit.awaitRecords("mq.down", 5, r -> true, WAIT);
      assertThat(records)
          .extracting(ReceivedRecord::key)
          .contains("d-0", "d-1", "d-2", "d-3", "d-4");
    } finally {
      device.disconnect().join();
    }
  }

  @Test
  @Order(6)
  void mqtt311AndCredentialsWork(RunnelTestKit kit) throws Exception {
    Map<String, Object> properties = connector(kit, "v3-client");
    properties.put("runnel.mqtt.protocol", "V3_1_1");
    properties.put("runnel.mqtt.username", TestMqttBroker.USER);
    properties.put("runnel.mqtt.password", TestMqttBroker.PASSWORD);
    telemetryRoute(properties, "v3-test", "mq.v3");
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      HealthProbe.await(context, "mqtt", "UP", WAIT);
      publishOneAndAwait(kit, "v3-device", "v3-test", "d-3", "mq.v3");
    }
    Map<String, Object> wrong = connector(kit, "wrong-password");
    wrong.put("runnel.mqtt.username", TestMqttBroker.USER);
    wrong.put("runnel.mqtt.password", "guess");
    telemetryRoute(wrong, "v3-test", "mq.v3");
    try (ApplicationContext context = ApplicationContext.run(wrong)) {
      var health = HealthProbe.await(context, "mqtt", "DOWN", WAIT);
      assertThat(health.getDetails().toString()).contains("BAD_USER_NAME_OR_PASSWORD");
    }
  }

  @Test
  @Order(6)
  void tlsWithTheBrokersCertificateWorksAndAnUntrustedOneIsRefused(RunnelTestKit kit)
      throws Exception {
    Map<String, Object> properties = connector(kit, "tls-client");
    properties.put("runnel.mqtt.tls", "true");
    properties.put("runnel.mqtt.port", TestMqttBroker.shared().tlsPort());
    properties.put("runnel.mqtt.trust-store", TestMqttBroker.shared().trustStore().toString());
    properties.put("runnel.mqtt.trust-store-password", TestMqttBroker.STORE_PASSWORD);
    telemetryRoute(properties, "tls-test", "mq.tls");
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      HealthProbe.await(context, "mqtt", "UP", WAIT);
      publishOneAndAwait(kit, "tls-device", "tls-test", "d-6", "mq.tls");
    }
    Map<String, Object> untrusted = new HashMap<>(properties);
    untrusted.remove("runnel.mqtt.trust-store");
    untrusted.put("runnel.mqtt.client-id", "tls-untrusted");
    try (ApplicationContext context = ApplicationContext.run(untrusted)) {
      var health = HealthProbe.await(context, "mqtt", "DOWN", WAIT);
      assertThat(health.getDetails().toString()).contains("BROKER_UNREACHABLE");
    }
  }

  @Test
  @Order(7)
  void whenTheBrokerGoesAwayHealthIsDownAndTheConnectorReconnects(RunnelTestKit kit)
      throws Exception {
    Map<String, Object> properties = connector(kit, "broker-down");
    properties.put("runnel.mqtt.reconnect-max-delay", "2s");
    telemetryRoute(properties, "outage-test", "mq.outage");
    // A second connector starts while the broker is down: its first connect fails.
    Map<String, Object> late = connector(kit, "broker-down-late");
    late.put("runnel.mqtt.reconnect-max-delay", "2s");
    telemetryRoute(late, "outage-late", "mq.outage.late");
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      HealthProbe.await(context, "mqtt", "UP", WAIT);
      TestMqttBroker.shared().stop();
      ApplicationContext lateContext;
      try {
        var health = HealthProbe.await(context, "mqtt", "DOWN", WAIT);
        assertThat(health.getDetails().toString()).contains("BROKER_UNREACHABLE");
        lateContext = ApplicationContext.run(late);
        HealthProbe.await(lateContext, "mqtt", "DOWN", WAIT);
      } finally {
        TestMqttBroker.shared().start();
      }
      try (lateContext) {
        HealthProbe.await(context, "mqtt", "UP", WAIT);
        HealthProbe.await(lateContext, "mqtt", "UP", WAIT);
        // The broker lost its in-memory sessions: the connectors subscribe again on connecting.
        Mqtt5AsyncClient device = device("outage-device");
        publish(device, "outage-test/d-5/telemetry", reading("d-5", 5.0));
        publish(device, "outage-late/d-8/telemetry", reading("d-8", 8.0));
        device.disconnect().join();
        assertThat(kit.awaitRecords("mq.outage", 1, r -> true, WAIT).get(0).key()).isEqualTo("d-5");
        assertThat(kit.awaitRecords("mq.outage.late", 1, r -> true, WAIT).get(0).key())
            .isEqualTo("d-8");
      }
    }
  }

  /**
   * A registry outage in the middle of a session: the message that could not be stored and those
   * that arrived while the connector waited are left to the broker, and once the registry answers
   * the same connector instance stores them and keeps flowing. With a receive maximum of 5, any
   * message the connector left unacknowledged in the MQTT client would hold back every later
   * acknowledgement (the client acknowledges in order) and fill the window for good.
   */
  @Test
  @Order(9)
  void afterARegistryOutageTheSameConnectorKeepsFlowing(RunnelTestKit kit) throws Exception {
    int registryPort = freePort();
    Map<String, Object> properties = connector(kit, "registry-outage");
    properties.put("runnel.schema-registry.url", "http://localhost:" + registryPort);
    properties.put("runnel.mqtt.receive-maximum", 5);
    properties.put("runnel.mqtt.reconnect-max-delay", "1s");
    telemetryRoute(properties, "registry-outage", "mq.registry-outage");
    Mqtt5AsyncClient device = device("registry-outage-device");
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      HealthProbe.await(context, "mqtt", "UP", WAIT);
      for (int i = 0; i < 5; i++) {
        publish(device, "registry-outage/d-" + i + "/telemetry", reading("d-" + i, i));
      }
      var down = HealthProbe.await(context, "mqtt", "DOWN", WAIT);
      assertThat(down.getDetails().toString()).contains("KAFKA_UNREACHABLE");
      try (DevSchemaRegistry registry =
          DevSchemaRegistry.start(kit.bootstrapServers(), registryPort)) {
        HealthProbe.await(context, "mqtt", "UP", WAIT);
        for (int i = 5; i < 30; i++) {
          publish(device, "registry-outage/d-" + i + "/telemetry", reading("d-" + i, i));
        }
        Set<String> seen = new HashSet<>();
        List<ReceivedRecord> records =
            kit.awaitRecords("mq.registry-outage", 30, record -> seen.add(record.key()), WAIT);
        assertThat(records).hasSize(30);
      }
    } finally {
      device.disconnect().join();
    }
  }

  @Test
  @Order(8)
  void badSettingsFailStartUpNamingTheSetting(RunnelTestKit kit) {
    Map<String, String> cases =
        Map.of(
            "runnel.mqtt.routes.x.filter=a/#/b", "runnel.mqtt.routes.x.filter: 'a/#/b'",
            "runnel.mqtt.routes.x.key-level=9", "runnel.mqtt.routes.x.key-level is 9",
            "runnel.mqtt.routes.x.schema=no.such.Class",
                "runnel.mqtt.routes.x.schema is no.such.Class",
            "runnel.mqtt.receive-maximum=0", "runnel.mqtt.receive-maximum must be 1 to 65535");
    for (Map.Entry<String, String> bad : cases.entrySet()) {
      Map<String, Object> properties = connector(kit, "bad-settings");
      properties.put("runnel.mqtt.routes.x.filter", "a/+/b");
      properties.put("runnel.mqtt.routes.x.topic", "mq.x");
      properties.put("runnel.mqtt.routes.x.schema", READING);
      String[] setting = bad.getKey().split("=", 2);
      properties.put(setting[0], setting[1]);
      assertThatThrownBy(() -> ApplicationContext.run(properties).close())
          .as(bad.getKey())
          .hasStackTraceContaining(bad.getValue());
    }
  }

  private static int freePort() throws Exception {
    try (var socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Simulated devices: each publishes numbered readings, interleaved with the others. */
  static final class Devices {

    static void publish(String prefix, int devices, int perDevice) {
      publish(TestMqttBroker.shared().port(), prefix, devices, perDevice);
    }

    static void publish(int port, String prefix, int devices, int perDevice) {
      Mqtt5AsyncClient client = device(port, prefix + "-publisher");
      List<CompletableFuture<?>> sends = new ArrayList<>();
      for (int sequence = 0; sequence < perDevice; sequence++) {
        for (int device = 0; device < devices; device++) {
          String id = "dev-" + device;
          sends.add(
              client
                  .publishWith()
                  .topic(prefix + "/" + id + "/telemetry")
                  .qos(MqttQos.AT_LEAST_ONCE)
                  .payload(reading(id, sequence).getBytes(StandardCharsets.UTF_8))
                  .send());
        }
        if (sends.size() >= 1_000) {
          sends.forEach(CompletableFuture::join);
          sends.clear();
        }
      }
      sends.forEach(CompletableFuture::join);
      client.disconnect().join();
    }

    /** How many records {@code topic} holds, duplicates included. */
    static long recordsIn(RunnelTestKit kit, String topic) {
      try (KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(
              Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrapServers()),
              new ByteArrayDeserializer(),
              new ByteArrayDeserializer())) {
        List<TopicPartition> partitions =
            consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
      }
    }

    /** Every (device, sequence) is there; the first time each appears is in sequence order. */
    static void assertCompleteAndOrdered(List<ReceivedRecord> records, int devices, int perDevice) {
      Map<String, List<Integer>> sequences = new HashMap<>();
      for (ReceivedRecord record : records) {
        GenericRecord value = (GenericRecord) record.value();
        assertThat(record.key()).isEqualTo(value.get("deviceId").toString());
        sequences
            .computeIfAbsent(record.key(), k -> new ArrayList<>())
            .add(((Double) value.get("temperatureC")).intValue());
      }
      assertThat(sequences).hasSize(devices);
      sequences.forEach(
          (device, seen) ->
              assertThat(seen.stream().distinct().toList())
                  .as("sequence numbers of %s in the order first seen", device)
                  .hasSize(perDevice)
                  .isSorted());
    }
  }
}
