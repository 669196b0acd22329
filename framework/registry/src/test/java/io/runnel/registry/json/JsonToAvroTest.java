package io.runnel.registry.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class JsonToAvroTest {

  private static final Schema ORDER =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Order", "namespace": "t", "fields": [
                {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
                {"name": "total", "type": {"type": "bytes", "logicalType": "decimal", "precision": 8, "scale": 2}},
                {"name": "placedAt", "type": {"type": "long", "logicalType": "timestamp-micros"}},
                {"name": "deliverOn", "type": ["null", {"type": "int", "logicalType": "date"}], "default": null},
                {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"]}, "default": "NEW"},
                {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line", "fields": [
                  {"name": "sku", "type": "string"},
                  {"name": "qty", "type": "int"}]}}},
                {"name": "note", "type": ["null", "string", "long"], "default": null},
                {"name": "tags", "type": {"type": "map", "values": "boolean"}, "default": {}}
              ]}""");

  private static JsonNode json(String text) throws Exception {
    return JsonToAvro.parse(text);
  }

  private static GenericRecord convert(String text) throws Exception {
    return JsonToAvro.convert(ORDER, json(text));
  }

  private static final String VALID =
      """
      {"id": "0b5f4a0c-5c0e-4a57-9a37-2d3c5b1e8f10", "total": 1234.50,
       "placedAt": "2026-11-23T10:15:30.123456Z", "deliverOn": "2026-11-30",
       "lines": [{"sku": "A-1", "qty": 2}], "note": {"long": 7}, "tags": {"gift": true}}""";

  @Test
  void logicalTypesUnionsAndDefaultsConvertToAvrosRepresentations() throws Exception {
    GenericRecord order = convert(VALID);

    assertThat(
            new Conversions.DecimalConversion()
                .fromBytes(
                    (ByteBuffer) order.get("total"),
                    ORDER.getField("total").schema(),
                    LogicalTypes.decimal(8, 2)))
        .isEqualTo(new BigDecimal("1234.50"));
    Instant placed = Instant.parse("2026-11-23T10:15:30.123456Z");
    assertThat(order.get("placedAt"))
        .isEqualTo(placed.getEpochSecond() * 1_000_000 + placed.getNano() / 1_000);
    assertThat(order.get("deliverOn")).isEqualTo((int) LocalDate.parse("2026-11-30").toEpochDay());
    assertThat(order.get("status").toString()).isEqualTo("NEW");
    assertThat(order.get("note")).isEqualTo(7L);
    assertThat(((List<?>) order.get("lines"))).hasSize(1);
    assertThat(order.get("tags")).isEqualTo(Map.of("gift", true));
    assertThat(GenericData.get().validate(ORDER, order)).isTrue();

    // And back, as a reply would be answered.
    JsonNode back = AvroToJson.convert(order);
    assertThat(back.get("total").decimalValue()).isEqualByComparingTo("1234.50");
    assertThat(back.get("placedAt").asText()).isEqualTo("2026-11-23T10:15:30.123456Z");
    assertThat(back.get("deliverOn").asText()).isEqualTo("2026-11-30");
    assertThat(back.get("note").asLong()).isEqualTo(7);
  }

  @Test
  void timesOfDayConvertToMillisOrMicrosSinceMidnight() throws Exception {
    Schema times =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "Shift", "namespace": "t", "fields": [
                  {"name": "start", "type": {"type": "int", "logicalType": "time-millis"}},
                  {"name": "end", "type": {"type": "long", "logicalType": "time-micros"}}
                ]}""");
    GenericRecord shift =
        JsonToAvro.convert(
            times, json("{\"start\": \"08:30:00.250\", \"end\": \"17:15:00.000125\"}"));
    assertThat(shift.get("start")).isEqualTo((8 * 3600 + 30 * 60) * 1_000 + 250);
    assertThat(shift.get("end")).isEqualTo((17 * 3600 + 15 * 60) * 1_000_000L + 125);
    assertThatThrownBy(
            () -> JsonToAvro.convert(times, json("{\"start\": \"8h30\", \"end\": \"17:15\"}")))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("field 'start'")
        .hasMessageContaining("'8h30' is not a time (HH:MM:SS)");
    assertThatThrownBy(
            () -> JsonToAvro.convert(times, json("{\"start\": \"08:30\", \"end\": \"5pm\"}")))
        .hasMessageContaining("field 'end'")
        .hasMessageContaining("'5pm' is not a time (HH:MM:SS)");
  }

  @Test
  void errorsNameTheFieldPathAndWhatWasExpected() {
    assertThatThrownBy(() -> convert(VALID.replace("1234.50", "1234.567")))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("field 'total'")
        .hasMessageContaining("2 digits after the point");
    assertThatThrownBy(() -> convert(VALID.replace("1234.50", "12345678.5")))
        .hasMessageContaining("more than 8 digits");
    assertThatThrownBy(() -> convert(VALID.replace("0b5f4a0c-", "zz-")))
        .hasMessageContaining("field 'id'")
        .hasMessageContaining("not a UUID");
    assertThatThrownBy(() -> convert(VALID.replace("\"qty\": 2", "\"qty\": 2.5")))
        .hasMessageContaining("field 'lines[0].qty'")
        .hasMessageContaining("expected an int, got a number 2.5");
    assertThatThrownBy(() -> convert(VALID.replace("\"qty\": 2", "\"qty\": 3000000000")))
        .hasMessageContaining("lines[0].qty");
    assertThatThrownBy(() -> convert(VALID.replace("\"gift\": true", "\"gift\": \"yes\"")))
        .hasMessageContaining("field 'tags.gift'")
        .hasMessageContaining("a boolean");
    assertThatThrownBy(() -> convert(VALID.replace("{\"long\": 7}", "true")))
        .hasMessageContaining("field 'note'")
        .hasMessageContaining("null or a string or a long");
    assertThatThrownBy(() -> convert(VALID.replace("\"2026-11-30\"", "\"30/11/2026\"")))
        .hasMessageContaining("field 'deliverOn'")
        .hasMessageContaining("YYYY-MM-DD");
    assertThatThrownBy(
            () -> convert(VALID.replace("\"lines\": [{\"sku\": \"A-1\", \"qty\": 2}], ", "")))
        .hasMessageContaining("field 'lines'")
        .hasMessageContaining("is required");
    assertThatThrownBy(() -> convert("[1, 2]"))
        .hasMessageContaining("body: expected an object (Order)");
  }
}
