package io.runnel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.EventFunction;
import io.runnel.registry.server.DevSchemaRegistry;
import io.runnel.test.Await;
import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import jakarta.inject.Singleton;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The function's registry stops answering: a record of a writer schema the function has not seen
 * waits for it (runnel.schema-registry.unreachable-wait), then goes to the dead-letter topic with
 * the reason, while records of known schemas flow; an outage shorter than the wait loses nothing.
 * The function's registry is a second dev registry on the shared broker (so it knows every schema
 * the test registers), stopped and started on the same port. The wait is logged once as it starts
 * and once as it ends, not per record.
 */
@RunnelTest(startContext = false)
class RegistryOutageTest {

  static final String TOPIC = "outage.readings";

  @Singleton
  @Requires(property = "runnel.test.suite", value = "registry-outage")
  static class OutageFunction {
    final Set<String> handled = ConcurrentHashMap.newKeySet();

    @EventFunction(name = "outage", topics = TOPIC)
    void handle(SensorReading reading) {
      handled.add(reading.getDeviceId());
    }
  }

  /** SensorReading with one more optional field: a new writer schema the function can read. */
  static GenericRecord evolved(String device, String extraField) {
    Schema base = SensorReading.getClassSchema();
    String json =
        base.toString()
            .replaceFirst(
                "\\]\\}$",
                ",{\"name\":\""
                    + extraField
                    + "\",\"type\":[\"null\",\"string\"],\"default\":null}]}");
    GenericRecord record = new GenericData.Record(new Schema.Parser().parse(json));
    record.put("deviceId", device);
    record.put("timestamp", Instant.now().toEpochMilli());
    record.put("temperatureC", 20.0);
    record.put(extraField, "x");
    return record;
  }

  static SensorReading reading(String device) {
    return SensorReading.newBuilder()
        .setDeviceId(device)
        .setTimestamp(Instant.now())
        .setTemperatureC(20.0)
        .build();
  }

  @Test
  void aRecordWaitsForTheRegistryThenIsDeadLetteredWhileKnownSchemasFlow(RunnelTestKit kit)
      throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Logger decoderLog =
        (Logger) LoggerFactory.getLogger("io.runnel.runtime.internals.RecordDecoder");
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    decoderLog.addAppender(logged);
    DevSchemaRegistry registry = DevSchemaRegistry.start(kit.bootstrapServers(), port);
    ApplicationContext context =
        ApplicationContext.builder()
            .environments("test")
            .properties(
                Map.of(
                    "runnel.test.suite",
                    "registry-outage",
                    "runnel.kafka.bootstrap-servers",
                    kit.bootstrapServers(),
                    "runnel.schema-registry.url",
                    registry.url(),
                    "runnel.schema-registry.unreachable-wait",
                    "8s",
                    // One at a time: a record waiting for the registry must not hold the permit.
                    "runnel.functions.outage.max-concurrency",
                    "1"))
            .start();
    try {
      OutageFunction function = context.getBean(OutageFunction.class);
      kit.send(TOPIC, "known", reading("known"));
      Await.until("the known schema handled", () -> function.handled.contains("known"));

      registry.close();
      long sent = System.nanoTime();
      kit.send(TOPIC, "new-schema", evolved("new-schema", "firmware"));
      kit.send(TOPIC, "flows", reading("flows"));
      Await.until("the record behind it handled", () -> function.handled.contains("flows"));
      Instant flowed = Instant.now();

      ReceivedRecord dead = kit.awaitRecords(TOPIC + ".dlq", 1, r -> true).get(0);
      assertThat(Duration.ofNanos(System.nanoTime() - sent))
          .as("waited for the registry first")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(8));
      assertThat(flowed)
          .as("the record behind it was handled while it waited")
          .isBefore(Instant.parse(dead.header("runnel.error.failed.at")));
      assertThat(dead.key()).isEqualTo("new-schema");
      assertThat(dead.header("runnel.error.stage")).isEqualTo("decode");
      assertThat(dead.header("runnel.error.exception.message"))
          .contains("Schema registry unreachable");
      assertThat(function.handled).doesNotContain("new-schema");

      // Back within the wait: the records wait and are handled, not dead-lettered. Once a record
      // sent after them is handled, they were taken and wait.
      for (int i = 0; i < 5; i++) {
        kit.send(TOPIC, "recovers-" + i, evolved("recovers-" + i, "site"));
      }
      kit.send(TOPIC, "behind-recovers", reading("behind-recovers"));
      Await.until(
          "the record behind them handled", () -> function.handled.contains("behind-recovers"));
      assertThat(function.handled).noneMatch(device -> device.startsWith("recovers"));
      registry = DevSchemaRegistry.start(kit.bootstrapServers(), port);
      Await.until(
          "the waiting records handled",
          () -> function.handled.stream().filter(d -> d.startsWith("recovers")).count() == 5);

      // One warning as records start waiting, one note when none waits any more: not one each.
      List<ILoggingEvent> events;
      synchronized (logged) {
        events = List.copyOf(logged.list);
      }
      assertThat(events)
          .filteredOn(e -> e.getLevel() == Level.WARN)
          .extracting(ILoggingEvent::getFormattedMessage)
          .hasSize(2)
          .allMatch(message -> message.contains("the schema registry cannot be reached"));
      assertThat(events)
          .filteredOn(e -> e.getLevel() == Level.INFO)
          .extracting(ILoggingEvent::getFormattedMessage)
          .containsExactly(
              "No record waits for the schema registry any more",
              "No record waits for the schema registry any more");
    } finally {
      decoderLog.detachAppender(logged);
      context.close();
      registry.close();
    }
  }
}
