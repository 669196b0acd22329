package io.runnel.examples.iot;

import io.runnel.registry.serde.AvroDeserializer;
import io.runnel.registry.serde.AvroSerdeConfig;
import io.runnel.registry.serde.AvroSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The README tour's client: a plain Kafka producer configured the way any Confluent Avro client is
 * ({@code schema.registry.url}, {@code specific.avro.reader}) sends one {@link SensorReading} to
 * {@code iot.telemetry}, then waits for the {@link TemperatureAlert} the function publishes.
 *
 * <p>Arguments: {@code [deviceId] [temperatureC] [bootstrapServers] [registryUrl]}.
 */
public final class SendReading {

  private SendReading() {}

  public static void main(String[] args) throws Exception {
    String deviceId = args.length > 0 ? args[0] : "device-1";
    double temperature;
    try {
      temperature = args.length > 1 ? Double.parseDouble(args[1]) : 91.5;
    } catch (NumberFormatException e) {
      System.err.println(
          "The temperature must be a number of degrees Celsius, got '" + args[1] + "'");
      System.exit(2);
      return;
    }
    String bootstrap = args.length > 2 ? args[2] : "localhost:9092";
    String registry = args.length > 3 ? args[3] : "http://localhost:8081";

    SensorReading reading =
        SensorReading.newBuilder()
            .setDeviceId(deviceId)
            .setTimestamp(Instant.now())
            .setTemperatureC(temperature)
            .build();
    try (KafkaProducer<String, Object> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                AvroSerializer.class,
                AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                registry))) {
      var sent = producer.send(new ProducerRecord<>("iot.telemetry", deviceId, reading)).get();
      System.out.println(
          "Sent "
              + reading
              + " to iot.telemetry partition "
              + sent.partition()
              + " offset "
              + sent.offset());
    }

    try (KafkaConsumer<String, Object> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "tour-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                AvroDeserializer.class,
                AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                registry,
                AvroSerdeConfig.SPECIFIC_AVRO_READER,
                "true"))) {
      consumer.subscribe(List.of("iot.alerts"));
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.value() instanceof TemperatureAlert alert
              && alert.getDeviceId().equals(deviceId)
              && alert.getTimestamp().equals(reading.getTimestamp())) {
            System.out.println("Alert on iot.alerts: " + alert);
            return;
          }
        }
      }
      System.out.println(
          "No alert for "
              + deviceId
              + " within 15 s"
              + (temperature <= 80.0
                  ? " (as expected: " + temperature + " is not above the 80.0 threshold)"
                  : ""));
    }
  }
}
