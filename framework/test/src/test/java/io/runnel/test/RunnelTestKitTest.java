package io.runnel.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.examples.iot.SensorReading;
import io.runnel.examples.iot.TemperatureAlert;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** The kit's reads and registry methods, against the broker and registry alone. */
@RunnelTest(startContext = false)
class RunnelTestKitTest {

  /** SensorReading as an older producer declares it: no humidity. */
  static final Schema OLDER_READING =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "SensorReading", "namespace": "io.runnel.examples.iot",
               "fields": [
                 {"name": "deviceId", "type": "string"},
                 {"name": "timestamp", "type": "long"},
                 {"name": "temperatureC", "type": "double"}]}
              """);

  static GenericRecord olderReading(String device) {
    GenericRecord reading = new GenericData.Record(OLDER_READING);
    reading.put("deviceId", device);
    reading.put("timestamp", 1_700_000_000_000L);
    reading.put("temperatureC", 21.5);
    return reading;
  }

  @Test
  void valuesWrittenWithAnOlderSchemaReadAsTheGeneratedClass(RunnelTestKit kit) {
    kit.send("kit.typed", "d-1", olderReading("d-1"));
    List<SensorReading> readings = kit.awaitValues("kit.typed", SensorReading.class, 1);
    assertThat(readings).hasSize(1);
    SensorReading reading = readings.get(0);
    assertThat(reading.getDeviceId()).isEqualTo("d-1");
    assertThat(reading.getTimestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    assertThat(reading.getHumidity()).isNull();

    ReceivedRecord record = kit.awaitRecords("kit.typed", 1, r -> true).get(0);
    assertThat(record.value(GenericRecord.class).getSchema()).isEqualTo(OLDER_READING);
    assertThat(kit.decode(record.rawValue(), SensorReading.class)).isEqualTo(reading);
    assertThatThrownBy(() -> record.value(TemperatureAlert.class))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("kit.typed/0/0");
  }

  @Test
  void valuesReadWithAFilterOnTheTypedValue(RunnelTestKit kit) {
    kit.send("kit.filtered", "a", olderReading("a"));
    kit.send("kit.filtered", "b", olderReading("b"));
    assertThat(
            kit.awaitValues(
                "kit.filtered",
                SensorReading.class,
                1,
                reading -> reading.getDeviceId().equals("b")))
        .extracting(SensorReading::getDeviceId)
        .containsExactly("b");
  }

  @Test
  void schemasAreRegisteredAndListedWithoutARegistryClient(RunnelTestKit kit) {
    assertThat(kit.schemaVersions("kit.registered-value")).isEmpty();
    int id = kit.registerSchema("kit.registered-value", OLDER_READING);
    assertThat(id).isPositive();
    kit.registerSchema("kit.registered-value", SensorReading.getClassSchema());
    assertThat(kit.subjects()).contains("kit.registered-value");
    assertThat(kit.schemaVersions("kit.registered-value"))
        .extracting(schema -> schema.getField("humidity") != null)
        .containsExactly(false, true);
  }
}
