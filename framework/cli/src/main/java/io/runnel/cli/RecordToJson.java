package io.runnel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.json.AvroToJson;
import io.runnel.registry.serde.AvroDeserializer;
import io.runnel.registry.serde.ConfluentWireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One record as one line of JSON: partition, offset, timestamp, key and value, and its headers when
 * asked. Keys and values in the Confluent wire format are decoded with their writer's schema from
 * the registry (plain JSON: unions as their value, timestamps as ISO-8601, as the HTTP gateway
 * answers); other keys are read as UTF-8 text. A value that cannot be decoded gives a line with an
 * {@code error} in place of the value.
 */
final class RecordToJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AvroDeserializer avro;
  private final boolean headers;

  RecordToJson(SchemaRegistryClient registry, boolean headers) {
    this.avro = new AvroDeserializer(registry, null, false);
    this.headers = headers;
  }

  ObjectNode convert(ConsumerRecord<byte[], byte[]> record) {
    ObjectNode line = NODES.objectNode();
    line.put("partition", record.partition());
    line.put("offset", record.offset());
    line.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
    line.set("key", key(record));
    try {
      line.set("value", avro(record.topic(), record.value()));
    } catch (RuntimeException e) {
      line.put("error", "cannot decode the value: " + CommandFailure.describe(e));
    }
    if (headers) {
      ObjectNode named = line.putObject("headers");
      for (Header header : record.headers()) {
        named.put(
            header.key(),
            header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
      }
    }
    return line;
  }

  /** The key as JSON: decoded when it is in the wire format, else its text. */
  private JsonNode key(ConsumerRecord<byte[], byte[]> record) {
    byte[] key = record.key();
    if (key == null) {
      return NODES.nullNode();
    }
    if (key.length > ConfluentWireFormat.HEADER_SIZE && key[0] == ConfluentWireFormat.MAGIC_BYTE) {
      try {
        return avro(record.topic(), key);
      } catch (RuntimeException e) {
        // Text that happens to start with a zero byte: shown as it is.
      }
    }
    return NODES.textNode(new String(key, StandardCharsets.UTF_8));
  }

  /** The text {@code --key} is compared with: a text key itself, else its JSON. */
  static String keyText(JsonNode key) {
    return key.isTextual() ? key.asText() : key.toString();
  }

  private JsonNode avro(String topic, byte[] bytes) {
    if (bytes == null) {
      return NODES.nullNode(); // a tombstone
    }
    Object value = avro.deserialize(topic, bytes);
    if (value instanceof GenericRecord record) {
      return AvroToJson.convert(record);
    }
    return value instanceof CharSequence text
        ? NODES.textNode(text.toString())
        : JSON.valueToTree(value);
  }
}
