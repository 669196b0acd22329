package io.runnel.benchmarks;

import io.runnel.examples.iot.SensorReading;
import io.runnel.registry.serde.AvroDeserializer;
import io.runnel.registry.serde.AvroSerializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The per-record work of the contenders that are not Runnel: decode, handle as the workload says,
 * check order, encode the output, and send it with the input's key.
 */
record Step(
    Workload workload,
    AvroDeserializer deserializer,
    AvroSerializer serializer,
    KafkaProducer<byte[], byte[]> producer,
    String outputTopic,
    OrderChecker order) {

  static Step of(
      Workload workload,
      BenchmarkCluster cluster,
      KafkaProducer<byte[], byte[]> producer,
      String outputTopic,
      OrderChecker order) {
    return new Step(
        workload, cluster.deserializer(), cluster.serializer(), producer, outputTopic, order);
  }

  /** The encoded output for one input record. */
  byte[] output(ConsumerRecord<byte[], byte[]> record) {
    SensorReading reading =
        (SensorReading) deserializer.deserialize(record.topic(), record.value());
    var alert = workload.handle(reading);
    order.handled(reading);
    return serializer.serialize(outputTopic, alert);
  }

  /** Handles one input record and sends its output (not waiting for the acknowledgement). */
  void handle(ConsumerRecord<byte[], byte[]> record) {
    producer.send(new ProducerRecord<>(outputTopic, record.key(), output(record)));
  }
}
