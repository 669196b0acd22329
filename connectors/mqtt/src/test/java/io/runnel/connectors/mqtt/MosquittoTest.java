package io.runnel.connectors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.context.ApplicationContext;
import io.runnel.test.HealthProbe;
import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * The connector against Eclipse Mosquitto 2 (the broker {@code deploy/mosquitto} ships, from the
 * Debian package, configured as deploy/ configures it) with default settings, in MQTT 5 and 3.1.1:
 * a burst, and a backlog queued in the persistent session while the connector is down. Each message
 * must reach Kafka exactly once, in order per device, without a reconnect or a protocol error.
 * Mosquitto before 2.0.13 sends more unacknowledged messages than the client's receive maximum once
 * it has any queued (see connectors/mqtt/README.md); HiveMQ CE does not, so {@link
 * MqttConnectorTest} alone did not show it.
 */
@RunnelTest(startContext = false)
class MosquittoTest {

  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(MosquittoTest.class);
  private static final int DEVICES = 100;
  private static final int PER_DEVICE = 100;
  private static final Duration WAIT = Duration.ofSeconds(120);

  private final ListAppender<ILoggingEvent> clientErrors = new ListAppender<>();
  private MosquittoBroker mosquitto;

  @BeforeEach
  void startMosquittoAndWatchTheClientLog() {
    mosquitto = MosquittoBroker.start(false);
    clientErrors.start();
    ((Logger) LoggerFactory.getLogger("com.hivemq.client")).addAppender(clientErrors);
  }

  @AfterEach
  void stopMosquitto() {
    ((Logger) LoggerFactory.getLogger("com.hivemq.client")).detachAppender(clientErrors);
    mosquitto.close();
  }

  @ParameterizedTest
  @EnumSource(MqttProtocol.class)
  void aBurstFromAHundredDevicesIsStoredOnceInOrder(MqttProtocol protocol, RunnelTestKit kit)
      throws Exception {
    String name = "burst-" + protocol.name().toLowerCase(Locale.ROOT).replace('_', '-');
    String topic = "mosquitto." + name;
    try (ApplicationContext context = ApplicationContext.run(connector(kit, name, protocol))) {
      HealthProbe.await(context, "mqtt", "UP", WAIT);
      long start = System.nanoTime();
      MqttConnectorTest.Devices.publish(mosquitto.port(), name, DEVICES, PER_DEVICE);
      List<ReceivedRecord> stored = awaitEveryMessage(kit, topic);
      report("burst", protocol, start, kit, topic, context);
      assertStoredOnceWithoutReconnect(kit, topic, stored, context);
    }
  }

  @ParameterizedTest
  @EnumSource(MqttProtocol.class)
  void aBacklogQueuedWhileTheConnectorWasDownDrainsOnceInOrder(
      MqttProtocol protocol, RunnelTestKit kit) throws Exception {
    String name = "backlog-" + protocol.name().toLowerCase(Locale.ROOT).replace('_', '-');
    String topic = "mosquitto." + name;
    Map<String, Object> settings = connector(kit, name, protocol);
    try (ApplicationContext first = ApplicationContext.run(settings)) {
      // Connecting once creates the persistent session and its subscription.
      HealthProbe.await(first, "mqtt", "UP", WAIT);
    }
    MqttConnectorTest.Devices.publish(mosquitto.port(), name, DEVICES, PER_DEVICE);
    long start = System.nanoTime();
    try (ApplicationContext second = ApplicationContext.run(settings)) {
      List<ReceivedRecord> stored = awaitEveryMessage(kit, topic);
      report("queued drain", protocol, start, kit, topic, second);
      assertStoredOnceWithoutReconnect(kit, topic, stored, second);
    }
  }

  /**
   * With a receive maximum below what Mosquitto 2.0.11 sends once messages queue, the client drops
   * the connection; the connector must not loop (reconnecting, being sent the same messages again
   * and storing them again): it reconnects once with the protocol's largest receive maximum, so at
   * most two windows of messages are stored twice, and health says why it dropped.
   */
  @Test
  void aBrokerOverrunningTheReceiveMaximumCostsAtMostOneWindowAndNoLoop(RunnelTestKit kit)
      throws Exception {
    String name = "overrun";
    String topic = "mosquitto." + name;
    int receiveMaximum = 100;
    Map<String, Object> settings = connector(kit, name, MqttProtocol.V5);
    settings.put("runnel.mqtt.receive-maximum", receiveMaximum);
    settings.put("runnel.mqtt.reconnect-max-delay", "2s");
    try (ApplicationContext context = ApplicationContext.run(settings)) {
      HealthProbe.await(context, "mqtt", "UP", WAIT);
      MqttConnectorTest.Devices.publish(mosquitto.port(), name, DEVICES, PER_DEVICE);
      List<ReceivedRecord> stored = awaitEveryMessage(kit, topic);
      MqttConnectorTest.Devices.assertCompleteAndOrdered(stored, DEVICES, PER_DEVICE);
      Map<String, Object> health = detailsOnceUp(context);
      LOG.info(
          "Mosquitto overrunning receive maximum {}: {} records for {} messages, health {}",
          receiveMaximum,
          MqttConnectorTest.Devices.recordsIn(kit, topic),
          DEVICES * PER_DEVICE,
          health);
      // Measured: 100 repeats in three runs, 194 in one; the one drop costs what the client had
      // taken on the dropped connection and not yet acknowledged, which came to two windows there.
      assertThat(MqttConnectorTest.Devices.recordsIn(kit, topic))
          .isLessThanOrEqualTo(DEVICES * PER_DEVICE + 2L * receiveMaximum);
      assertThat((Long) health.get("drops")).isLessThanOrEqualTo(1);
      if ((Long) health.get("drops") == 1) {
        assertThat(health.get("lastDrop").toString())
            .contains("PROTOCOL_ERROR: receive maximum exceeded by broker");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> detailsOnceUp(ApplicationContext context)
      throws InterruptedException {
    return (Map<String, Object>) HealthProbe.await(context, "mqtt", "UP", WAIT).getDetails();
  }

  /**
   * The topic exists before the first record: an idempotent producer's first batches to a topic
   * that auto-creation is still electing a leader for can fail with OUT_OF_ORDER_SEQUENCE_NUMBER
   * until the delivery timeout (seen with the in-JVM broker), which is not what this test is about.
   */
  private Map<String, Object> connector(RunnelTestKit kit, String name, MqttProtocol protocol)
      throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("mosquitto." + name, 1, (short) 1))).all().get();
    }
    Map<String, Object> properties = MqttConnectorTest.connector(kit, name, mosquitto.port());
    properties.put("runnel.mqtt.protocol", protocol.name());
    MqttConnectorTest.telemetryRoute(properties, name, "mosquitto." + name);
    return properties;
  }

  /** The first appearance of every (device, sequence), in the order Kafka holds them. */
  private static List<ReceivedRecord> awaitEveryMessage(RunnelTestKit kit, String topic) {
    Set<String> seen = new HashSet<>();
    return kit.awaitRecords(
        topic,
        DEVICES * PER_DEVICE,
        record ->
            seen.add(record.key() + "/" + ((GenericRecord) record.value()).get("temperatureC")),
        WAIT);
  }

  private void assertStoredOnceWithoutReconnect(
      RunnelTestKit kit, String topic, List<ReceivedRecord> stored, ApplicationContext context) {
    MqttConnectorTest.Devices.assertCompleteAndOrdered(stored, DEVICES, PER_DEVICE);
    assertThat(MqttConnectorTest.Devices.recordsIn(kit, topic))
        .as("records in %s for %d messages", topic, DEVICES * PER_DEVICE)
        .isEqualTo(DEVICES * PER_DEVICE);
    assertThat(HealthProbe.read(context, "mqtt").getDetails().toString()).contains("drops=0");
    assertThat(clientErrors.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)))
        .as("warnings and errors of the MQTT client")
        .isEmpty();
  }

  private static void report(
      String what,
      MqttProtocol protocol,
      long startNanos,
      RunnelTestKit kit,
      String topic,
      ApplicationContext context) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    LOG.info(
        "Mosquitto {} {}: {} messages, {} records ({} per message), {} messages/s, health {}",
        protocol,
        what,
        DEVICES * PER_DEVICE,
        MqttConnectorTest.Devices.recordsIn(kit, topic),
        MqttConnectorTest.Devices.recordsIn(kit, topic) / (double) (DEVICES * PER_DEVICE),
        Math.round(DEVICES * PER_DEVICE / seconds),
        HealthProbe.read(context, "mqtt").getDetails());
  }
}
