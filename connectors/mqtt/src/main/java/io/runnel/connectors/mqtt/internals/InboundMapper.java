package io.runnel.connectors.mqtt.internals;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.runnel.connectors.mqtt.PayloadFormat;
import io.runnel.function.RunnelHeaders;
import io.runnel.mqtt.MqttMessage;
import io.runnel.registry.json.InvalidEventException;
import io.runnel.registry.json.JsonToAvro;
import io.runnel.registry.serde.AvroSerializer;
import io.runnel.support.RecordTracing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Turns an MQTT message into the Kafka record of the first route whose filter matches its topic
 * (key from the topic, value in the route's schema, MQTT metadata in headers), or, when the payload
 * does not fit, into a dead letter: the payload as it is, with the reason in headers. Either record
 * continues the trace in the message's {@code traceparent} user property (MQTT 5), or starts one.
 */
final class InboundMapper {

  static final String TOPIC_HEADER = "runnel.mqtt.topic";
  static final String QOS_HEADER = "runnel.mqtt.qos";
  static final String RETAIN_HEADER = "runnel.mqtt.retain";
  static final String USER_PROPERTY_HEADER_PREFIX = "runnel.mqtt.user.";

  /** Reads user properties as a text carrier; of repeated names, the last one counts. */
  private static final TextMapGetter<List<Map.Entry<String, String>>> USER_PROPERTIES =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(List<Map.Entry<String, String>> properties) {
          return properties.stream().map(Map.Entry::getKey).toList();
        }

        @Override
        public String get(List<Map.Entry<String, String>> properties, String name) {
          String value = null;
          for (Map.Entry<String, String> property : properties) {
            if (property.getKey().equals(name)) {
              value = property.getValue();
            }
          }
          return value;
        }
      };

  private final List<MqttRoute> routes;
  private final AvroSerializer serializer;
  private final int maxPayloadSize;
  private final String deadLetterTopic;
  private final RecordTracing tracing;

  InboundMapper(
      List<MqttRoute> routes,
      AvroSerializer serializer,
      int maxPayloadSize,
      String deadLetterTopic,
      RecordTracing tracing) {
    this.routes = routes;
    this.serializer = serializer;
    this.maxPayloadSize = maxPayloadSize;
    this.deadLetterTopic = deadLetterTopic;
    this.tracing = tracing;
  }

  /** The route's name, or {@code unmatched}, as the connector's metrics tag a message. */
  static final String UNMATCHED = "unmatched";

  /** A message's record and the name of the route that took it (or {@link #UNMATCHED}). */
  record Mapped(ProducerRecord<byte[], byte[]> record, String route) {}

  /**
   * The record for {@code message}: routed, or a dead letter.
   *
   * @throws org.apache.kafka.common.errors.SerializationException when the registry cannot be
   *     reached or refuses the schema: not the payload's fault, so it is not dead-lettered
   */
  Mapped toRecord(InboundMessage message) {
    MqttRoute route = route(message);
    try {
      if (route == null) {
        throw new InvalidPayloadException("no route's filter matches the MQTT topic", null);
      }
      if (message.payload().length > maxPayloadSize) {
        throw new InvalidPayloadException(
            "the payload has "
                + message.payload().length
                + " bytes, more than runnel.mqtt.max-payload-size ("
                + maxPayloadSize
                + ")",
            null);
      }
      GenericRecord value =
          route.format() == PayloadFormat.JSON ? fromJson(route, message) : envelope(message);
      ProducerRecord<byte[], byte[]> record =
          new ProducerRecord<>(
              route.topic(),
              route.key(message.topic()).getBytes(StandardCharsets.UTF_8),
              serializer.serialize(route.topic(), value));
      mqttHeaders(record, message);
      return new Mapped(record, route.name());
    } catch (InvalidPayloadException e) {
      return new Mapped(deadLetter(message, route, e), route == null ? UNMATCHED : route.name());
    }
  }

  /** The name of the route that takes {@code message}, or {@link #UNMATCHED}. */
  String routeName(InboundMessage message) {
    MqttRoute route = route(message);
    return route == null ? UNMATCHED : route.name();
  }

  private MqttRoute route(InboundMessage message) {
    return routes.stream()
        .filter(candidate -> candidate.matches(message.topic()))
        .findFirst()
        .orElse(null);
  }

  private static GenericRecord fromJson(MqttRoute route, InboundMessage message)
      throws InvalidPayloadException {
    try {
      return JsonToAvro.convert(route.schema(), JsonToAvro.parse(message.payload()));
    } catch (JsonProcessingException e) {
      throw new InvalidPayloadException(
          "the payload is not JSON: "
              + e.getOriginalMessage()
              + (e.getLocation() == null
                  ? ""
                  : " (line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr()
                      + ")"),
          null);
    } catch (IOException e) {
      throw new InvalidPayloadException("the payload is not JSON: " + e.getMessage(), null);
    } catch (InvalidEventException e) {
      throw new InvalidPayloadException(
          e.getMessage() + " (schema " + route.schema().getFullName() + ")", e.field());
    }
  }

  private static GenericRecord envelope(InboundMessage message) {
    return MqttMessage.newBuilder()
        .setMqttTopic(message.topic())
        .setPayload(ByteBuffer.wrap(message.payload()))
        .setContentType(message.contentType())
        .setReceivedTime(Instant.now())
        .build();
  }

  private ProducerRecord<byte[], byte[]> deadLetter(
      InboundMessage message, MqttRoute route, InvalidPayloadException reason) {
    String key = route == null ? message.topic() : route.key(message.topic());
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            deadLetterTopic, key.getBytes(StandardCharsets.UTF_8), message.payload());
    Headers headers = record.headers();
    mqttHeaders(record, message);
    put(headers, RunnelHeaders.ERROR_EXCEPTION_CLASS, InvalidPayloadException.class.getName());
    put(headers, RunnelHeaders.ERROR_EXCEPTION_MESSAGE, reason.getMessage());
    put(headers, RunnelHeaders.ERROR_STAGE, "decode");
    put(headers, RunnelHeaders.ERROR_FAILED_AT, Instant.now().toString());
    if (reason.field() != null) {
      put(headers, RunnelHeaders.ERROR_FIELD, reason.field());
    }
    if (route != null) {
      put(headers, "runnel.mqtt.route", route.name());
      put(headers, RunnelHeaders.ERROR_TARGET_TOPIC, route.topic());
    }
    return record;
  }

  private void mqttHeaders(ProducerRecord<byte[], byte[]> record, InboundMessage message) {
    Headers headers = record.headers();
    put(headers, TOPIC_HEADER, message.topic());
    put(headers, QOS_HEADER, String.valueOf(message.qos()));
    put(headers, RETAIN_HEADER, String.valueOf(message.retain()));
    for (Map.Entry<String, String> property : message.userProperties()) {
      put(headers, USER_PROPERTY_HEADER_PREFIX + property.getKey(), property.getValue());
    }
    tracing.startEvent(
        record.topic(), tracing.extract(message.userProperties(), USER_PROPERTIES), headers);
  }

  static void put(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
