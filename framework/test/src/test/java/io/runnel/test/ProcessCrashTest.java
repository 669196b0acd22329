package io.runnel.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.examples.iot.SensorReading;
import io.runnel.registry.SubjectNameStrategy;
import io.runnel.registry.serde.AvroDeserializer;
import io.runnel.registry.serde.AvroSerializer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a function process with SIGKILL five times while it works through 200,000 events, and
 * checks that every event reached the output topic (at-least-once: duplicates are allowed and
 * counted, losses are not).
 */
@RunnelTest(startContext = false)
class ProcessCrashTest {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessCrashTest.class);
  static final int EVENTS = 200_000;
  static final int KILLS = 5;

  @Test
  void killingTheFunctionProcessMidStreamLosesNothing(RunnelTestKit kit) throws Exception {
    produce(kit);
    Path logs = Path.of("target", "crash-test");
    logs.toFile().mkdirs();
    for (int kill = 1; kill <= KILLS; kill++) {
      Process process = start(kit, logs.resolve("run-" + kill + ".log").toFile());
      long target = (long) EVENTS * kill / (KILLS + 1);
      awaitOutputs(kit, target, Duration.ofSeconds(90));
      process.destroyForcibly().waitFor();
      LOG.info("Killed the function process (kill {}) after {} outputs", kill, outputCount(kit));
    }
    Process last = start(kit, logs.resolve("run-final.log").toFile());
    try {
      BitSet seen = new BitSet(EVENTS);
      long outputs = readOutputsUntilComplete(kit, seen, Duration.ofSeconds(120));
      LOG.info(
          "{} events in, {} outputs out, {} distinct, {} duplicates",
          EVENTS,
          outputs,
          seen.cardinality(),
          outputs - seen.cardinality());
      assertThat(seen.cardinality())
          .as("distinct events that reached the output")
          .isEqualTo(EVENTS);
    } finally {
      last.destroy();
      last.waitFor();
    }
  }

  static void produce(RunnelTestKit kit) {
    AvroSerializer serializer =
        new AvroSerializer(kit.registry(), SubjectNameStrategy.TOPIC_NAME, true, false);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kit.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG,
                20),
            new StringSerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      Instant now = Instant.now();
      for (int seq = 0; seq < EVENTS; seq++) {
        String device = "dev-" + (seq % 1000);
        SensorReading reading =
            SensorReading.newBuilder()
                .setDeviceId(device)
                .setTimestamp(now)
                .setTemperatureC(seq)
                .build();
        producer.send(
            new ProducerRecord<>("crash.in", device, serializer.serialize("crash.in", reading)));
      }
      producer.flush();
    }
  }

  static Process start(RunnelTestKit kit, File log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            CrashTestApp.class.getName(),
            kit.bootstrapServers(),
            kit.registryUrl())
        .redirectErrorStream(true)
        .redirectOutput(log)
        .start();
  }

  static long outputCount(RunnelTestKit kit) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(kit)) {
      List<TopicPartition> partitions = partitions(consumer);
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  static void awaitOutputs(RunnelTestKit kit, long count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (outputCount(kit) < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "Only " + outputCount(kit) + " outputs after " + timeout + ", expected " + count);
      }
      Thread.sleep(100);
    }
  }

  static long readOutputsUntilComplete(RunnelTestKit kit, BitSet seen, Duration timeout) {
    AvroDeserializer deserializer =
        AvroDeserializer.forSpecificClass(kit.registry(), SensorReading.class);
    long outputs = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(kit)) {
      List<TopicPartition> partitions = partitions(consumer);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (seen.cardinality() < EVENTS && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          SensorReading reading =
              (SensorReading) deserializer.deserialize(record.topic(), record.value());
          seen.set((int) reading.getTemperatureC());
          outputs++;
        }
      }
    }
    return outputs;
  }

  static KafkaConsumer<byte[], byte[]> consumer(RunnelTestKit kit) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kit.bootstrapServers(),
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            5000),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
    return consumer.partitionsFor("crash.out", Duration.ofSeconds(10)).stream()
        .map(info -> new TopicPartition(info.topic(), info.partition()))
        .toList();
  }
}
