package io.runnel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.runnel.examples.iot.SensorReading;
import io.runnel.examples.iot.TemperatureAlert;
import io.runnel.test.Await;
import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.Test;

@RunnelTest(properties = RuntimeTestFunctions.SUITE)
class FunctionRuntimeTest {

  static SensorReading reading(String device, double temperature) {
    return SensorReading.newBuilder()
        .setDeviceId(device)
        .setTimestamp(Instant.ofEpochMilli(1_700_000_000_000L))
        .setTemperatureC(temperature)
        .build();
  }

  @Test
  void returnedValueIsPublishedToTheOutputTopicWithTheInputKey(RunnelTestKit kit) {
    kit.send("rt.readings", "dev-1", reading("dev-1", 90.0));
    kit.send("rt.readings", "skip-1", reading("skip-1", 91.0));
    kit.send("rt.readings", "dev-2", reading("dev-2", 92.0));

    List<ReceivedRecord> alerts = kit.awaitRecords("rt.alerts", 2, r -> true);
    // Different keys run concurrently: their outputs may come in any order.
    assertThat(alerts).extracting(ReceivedRecord::key).containsExactlyInAnyOrder("dev-1", "dev-2");
    assertThat(alerts)
        .extracting(r -> r.value(TemperatureAlert.class).getTemperatureC())
        .containsExactlyInAnyOrder(90.0, 92.0);
    assertThat(kit.subjects()).contains("rt.alerts-value");
  }

  @Test
  void garbageGoesToTheDeadLetterTopicAndLaterRecordsOnThePartitionAreStillHandled(
      RunnelTestKit kit) {
    kit.sendRaw("rt.readings", "garbage", "this is not avro".getBytes());
    kit.sendRaw("rt.readings", "unknown-id", new byte[] {0, 0, 0, 0x7f, 0x7f, 1, 2});
    kit.send("rt.readings", "after-garbage", reading("after-garbage", 99.0));

    List<ReceivedRecord> dead = kit.awaitRecords("rt.readings.dlq", 2, r -> true);
    assertThat(dead)
        .extracting(ReceivedRecord::key)
        .containsExactlyInAnyOrder("garbage", "unknown-id");
    ReceivedRecord garbage = byKey(dead, "garbage");
    assertThat(garbage.rawValue()).isEqualTo("this is not avro".getBytes());
    assertThat(garbage.header("runnel.error.stage")).isEqualTo("decode");
    assertThat(garbage.header("runnel.error.exception.class"))
        .isEqualTo("org.apache.kafka.common.errors.SerializationException");
    assertThat(garbage.header("runnel.error.exception.message")).contains("magic byte");
    assertThat(garbage.header("runnel.error.original.topic")).isEqualTo("rt.readings");
    assertThat(garbage.header("runnel.error.original.partition")).isEqualTo("0");
    assertThat(garbage.header("runnel.error.original.offset")).isNotBlank();
    assertThat(garbage.header("runnel.error.function")).isEqualTo("convert");
    assertThat(garbage.header("runnel.error.consumer.group")).isEqualTo("runnel-convert");
    assertThat(byKey(dead, "unknown-id").header("runnel.error.exception.message"))
        .contains("schema id 32639")
        .contains("40403");

    assertThat(kit.awaitRecords("rt.alerts", 1, r -> "after-garbage".equals(r.key()))).hasSize(1);
  }

  @Test
  void aHandlerThatKeepsFailingIsRetriedThenDeadLetteredWhileOtherKeysFlow(
      RunnelTestKit kit, ApplicationContext context) {
    RuntimeTestFunctions.FailingFunction function =
        context.getBean(RuntimeTestFunctions.FailingFunction.class);
    kit.send("rt.flaky", "good-1", reading("good-1", 1));
    kit.send("rt.flaky", "bad-device", reading("bad-device", 2));
    kit.send("rt.flaky", "flaky-device", reading("flaky-device", 3));
    kit.send("rt.flaky", "good-2", reading("good-2", 4));

    ReceivedRecord dead = kit.awaitRecords("rt.flaky.dlq", 1, r -> true).get(0);
    assertThat(dead.key()).isEqualTo("bad-device");
    assertThat(dead.header("runnel.error.stage")).isEqualTo("invoke");
    assertThat(dead.header("runnel.error.attempts")).isEqualTo("3");
    assertThat(dead.header("runnel.error.exception.class"))
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(dead.header("runnel.error.exception.message"))
        .isEqualTo("sensor bad-device is broken");
    assertThat(dead.header("runnel.error.stacktrace")).contains("FailingFunction.handle");
    assertThat(Instant.parse(dead.header("runnel.error.failed.at")))
        .isBefore(Instant.now().plusSeconds(1));
    assertThat(dead.value(SensorReading.class).getDeviceId()).hasToString("bad-device");

    Await.until("the three other keys handled", () -> function.handled.size() == 3);
    assertThat(function.handled).containsExactlyInAnyOrder("good-1", "flaky-device", "good-2");
    assertThat(function.attemptsByDevice.get("bad-device")).hasValue(3);
    assertThat(function.attemptsByDevice.get("flaky-device")).hasValue(2);
  }

  @Test
  void contextGivesTheRecordCoordinatesAndEmitsToAnyTopic(RunnelTestKit kit) {
    kit.send("rt.context", "k1", reading("ctx", 5));
    ReceivedRecord out = kit.awaitRecords("rt.context.out", 1, r -> true).get(0);
    assertThat(out.key()).isEqualTo("k1@rt.context/0/0");
    assertThat(out.value(SensorReading.class).getDeviceId()).hasToString("ctx");
  }

  @Test
  void batchFunctionGetsTheRecordsOfAPollInOrder(RunnelTestKit kit, ApplicationContext context) {
    RuntimeTestFunctions.BatchFunction function =
        context.getBean(RuntimeTestFunctions.BatchFunction.class);
    IntStream.range(0, 50).forEach(i -> kit.send("rt.batch", "b", reading("b-" + i, i)));
    Await.until("50 readings handled", () -> function.devices.size() == 50);
    assertThat(function.devices)
        .containsExactlyElementsOf(IntStream.range(0, 50).mapToObj(i -> "b-" + i).toList());
    assertThat(function.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(50);
  }

  @Test
  void aGenericRecordFunctionGetsRecordsResolvedToItsReaderSchema(RunnelTestKit kit) {
    Schema writer =
        SchemaBuilder.record("Reading")
            .namespace("io.runnel.test.reader")
            .fields()
            .requiredString("deviceId")
            .requiredDouble("temperatureC")
            .requiredDouble("humidity")
            .endRecord();
    GenericRecord written =
        new GenericRecordBuilder(writer)
            .set("deviceId", "v2")
            .set("temperatureC", 21.5)
            .set("humidity", 40.0)
            .build();

    kit.send("rt.versions", "v2", written);

    GenericRecord read =
        (GenericRecord) kit.awaitRecords("rt.versions.read", 1, r -> true).get(0).value();
    assertThat(read.getSchema().getFields())
        .extracting(Schema.Field::name)
        .containsExactly("deviceId", "temperatureC", "unit");
    assertThat(read.get("deviceId")).hasToString("v2");
    assertThat(read.get("temperatureC")).isEqualTo(21.5);
    assertThat(read.get("unit")).hasToString("C");
  }

  static ReceivedRecord byKey(List<ReceivedRecord> records, String key) {
    return records.stream().filter(r -> key.equals(r.key())).findFirst().orElseThrow();
  }
}
