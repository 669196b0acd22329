package io.runnel.examples.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

@RunnelTest
class TemperatureAlertFunctionTest {

  @Test
  void hotReadingRaisesAnAlertAndACoolOneDoesNot(RunnelTestKit kit) {
    Instant measured = Instant.ofEpochMilli(1_700_000_123_000L);
    kit.send(
        "iot.telemetry",
        "cool-1",
        SensorReading.newBuilder()
            .setDeviceId("cool-1")
            .setTimestamp(measured)
            .setTemperatureC(20.0)
            .build());
    kit.send(
        "iot.telemetry",
        "hot-1",
        SensorReading.newBuilder()
            .setDeviceId("hot-1")
            .setTimestamp(measured)
            .setTemperatureC(85.5)
            .setHumidity(12.0)
            .build());

    ReceivedRecord record = kit.awaitRecords("iot.alerts", 1, r -> r.key().endsWith("-1")).get(0);
    assertThat(record.key()).isEqualTo("hot-1");
    TemperatureAlert alert = record.value(TemperatureAlert.class);
    assertThat(alert.getDeviceId()).isEqualTo("hot-1");
    assertThat(alert.getTimestamp()).isEqualTo(measured);
    assertThat(alert.getTemperatureC()).isEqualTo(85.5);
    assertThat(alert.getThreshold()).isEqualTo(80.0);
  }

  @Test
  void producersWithOlderAndNewerCompatibleSchemasDriveTheFunction(RunnelTestKit kit) {
    // What a producer in another language would register: its own copies of the schema.
    Schema older = sensorReadingCopy("");
    Schema newer =
        sensorReadingCopy(
            """
            , {"name": "humidity", "type": ["null", "double"], "default": null},
              {"name": "location", "type": "string", "default": "unknown"}""");
    GenericRecord fromOld = new GenericData.Record(older);
    fromOld.put("deviceId", "old-2");
    fromOld.put("timestamp", 1L);
    fromOld.put("temperatureC", 81.0);
    GenericRecord fromNew = new GenericData.Record(newer);
    fromNew.put("deviceId", "new-2");
    fromNew.put("timestamp", 2L);
    fromNew.put("temperatureC", 82.0);
    fromNew.put("humidity", 50.0);
    fromNew.put("location", "roof");
    kit.send("iot.telemetry", "old-2", fromOld);
    kit.send("iot.telemetry", "new-2", fromNew);

    List<TemperatureAlert> alerts =
        kit.awaitValues(
            "iot.alerts", TemperatureAlert.class, 2, alert -> alert.getDeviceId().endsWith("-2"));
    assertThat(alerts)
        .extracting(TemperatureAlert::getTemperatureC)
        .containsExactlyInAnyOrder(81.0, 82.0);
    assertThat(kit.schemaVersions("iot.telemetry-value")).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void confluentFramedBytesFromAnyClientDriveTheFunction(RunnelTestKit kit) {
    int id =
        kit.registerSchema(
            "iot.telemetry-value",
            new Schema.Parser().parse(SensorReading.getClassSchema().toString()));
    // deviceId "d1", timestamp 1700000000000, temperatureC 85.5, humidity null, in Avro binary.
    byte[] body = HexFormat.of().parseHex("04643180a0abfef962000000000060554000");
    byte[] framed = ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(id).put(body).array();
    kit.sendRaw("iot.telemetry", "d1", framed);
    assertThat(
            kit.awaitValues(
                "iot.alerts", TemperatureAlert.class, 1, alert -> alert.getDeviceId().equals("d1")))
        .extracting(TemperatureAlert::getTemperatureC)
        .containsExactly(85.5);
  }

  @Test
  void incompatibleSchemaIsRefusedWith409(RunnelTestKit kit) {
    kit.registerSchema("iot.telemetry-value", SensorReading.getClassSchema());
    Schema incompatible =
        SchemaBuilder.record("SensorReading")
            .namespace("io.runnel.examples.iot")
            .fields()
            .requiredString("deviceId")
            .requiredString("temperatureC")
            .endRecord();
    assertThatThrownBy(() -> kit.registerSchema("iot.telemetry-value", incompatible))
        .hasMessageContaining("error code 409");
  }

  @Test
  void garbageOnTheTopicLandsInTheDeadLetterTopicAndLaterReadingsAreStillHandled(
      RunnelTestKit kit) {
    kit.sendRaw("iot.telemetry", "garbage-3", new byte[] {1, 2, 3});
    kit.send(
        "iot.telemetry",
        "hot-3",
        SensorReading.newBuilder()
            .setDeviceId("hot-3")
            .setTimestamp(Instant.now())
            .setTemperatureC(100.0)
            .build());
    ReceivedRecord dead =
        kit.awaitRecords("iot.telemetry.dlq", 1, r -> "garbage-3".equals(r.key())).get(0);
    assertThat(dead.header("runnel.error.function")).isEqualTo("temperature-alert");
    assertThat(dead.rawValue()).containsExactly(1, 2, 3);
    assertThat(kit.awaitRecords("iot.alerts", 1, r -> "hot-3".equals(r.key()))).hasSize(1);
  }

  /**
   * SensorReading as another producer might declare its own copy: the first three fields, plus the
   * given extra field declarations.
   */
  static Schema sensorReadingCopy(String extraFields) {
    return new Schema.Parser()
        .parse(
            """
            {"type": "record", "name": "SensorReading", "namespace": "io.runnel.examples.iot", "fields": [
              {"name": "deviceId", "type": "string"},
              {"name": "timestamp", "type": "long"},
              {"name": "temperatureC", "type": "double"}%s]}
            """
                .formatted(extraFields));
  }
}
