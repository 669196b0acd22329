package io.runnel.benchmarks;

import io.runnel.embedded.EmbeddedKafkaBroker;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.SubjectNameStrategy;
import io.runnel.registry.serde.AvroDeserializer;
import io.runnel.registry.serde.AvroSerializer;
import io.runnel.registry.server.DevSchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidMetadataException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The broker and registry all contenders share, with helpers to feed workloads and watch progress.
 */
final class BenchmarkCluster implements AutoCloseable {

  private final EmbeddedKafkaBroker broker;
  private final DevSchemaRegistry registry;
  private final SchemaRegistryClient client;
  private final Admin admin;

  BenchmarkCluster(Path dataDir) {
    broker = EmbeddedKafkaBroker.start(dataDir, 0);
    registry = DevSchemaRegistry.start(broker.bootstrapServers(), 0);
    // Longer than the client's default 10 s: on a busy machine the JIT-cold registry's first
    // answers have taken longer.
    client = new SchemaRegistryClient(registry.url(), Duration.ofSeconds(60), null);
    admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }

  String registryUrl() {
    return registry.url();
  }

  AvroSerializer serializer() {
    return new AvroSerializer(client, SubjectNameStrategy.TOPIC_NAME, true, false);
  }

  AvroDeserializer deserializer() {
    return deserializer(io.runnel.examples.iot.SensorReading.class);
  }

  AvroDeserializer deserializer(Class<?> recordClass) {
    return AvroDeserializer.forSpecificClass(client, recordClass);
  }

  /** A plain consumer of raw bytes, manual commits, for the hand-written contenders. */
  KafkaConsumer<byte[], byte[]> consumer(String group) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            group,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            "false"),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  /** An idempotent acks=all producer, as Runnel uses. */
  KafkaProducer<byte[], byte[]> producer() {
    return producer(5);
  }

  /** An idempotent acks=all producer that waits {@code lingerMs} to fill a batch. */
  KafkaProducer<byte[], byte[]> producer(int lingerMs) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            "true",
            ProducerConfig.LINGER_MS_CONFIG,
            lingerMs,
            ProducerConfig.BATCH_SIZE_CONFIG,
            65536),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  void createTopic(String topic, int partitions) throws Exception {
    createTopic(topic, partitions, Map.of());
  }

  void createTopic(String topic, int partitions, Map<String, String> configs) throws Exception {
    admin
        .createTopics(Set.of(new NewTopic(topic, partitions, (short) 1).configs(configs)))
        .all()
        .get(30, TimeUnit.SECONDS);
    // Sending before the broker leads every partition gets NOT_LEADER_OR_FOLLOWER for the first
    // batch while later ones are taken; the idempotent producer then retried sequence 0 forever
    // (OUT_OF_ORDER_SEQUENCE_NUMBER), seen in the rebalance and counting runs.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!ledEverywhere(topic)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("No leader for every partition of " + topic + " in 30 s");
      }
      Thread.sleep(50);
    }
  }

  /**
   * Whether the broker answers for every partition of {@code topic} as its leader: a list-offsets
   * request goes to the leader, so it fails until the broker leads, even after the metadata names
   * it.
   */
  private boolean ledEverywhere(String topic) throws Exception {
    try {
      Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
      admin
          .describeTopics(Set.of(topic))
          .allTopicNames()
          .get(30, TimeUnit.SECONDS)
          .get(topic)
          .partitions()
          .forEach(
              partition ->
                  partitions.put(
                      new TopicPartition(topic, partition.partition()), OffsetSpec.latest()));
      admin.listOffsets(partitions).all().get(30, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof InvalidMetadataException) {
        return false; // not yet in the broker's metadata, or not yet led by it
      }
      throw e;
    }
  }

  /** Creates the workload's topic and writes its events once. */
  void produce(Workload workload) throws Exception {
    createTopic(workload.topic(), workload.partitions());
    AvroSerializer serializer = serializer();
    Instant now = Instant.now();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int sequence = 0; sequence < workload.events(); sequence++) {
        var event = workload.event(sequence, now);
        producer.send(
            new ProducerRecord<>(
                workload.topic(),
                event.getDeviceId().getBytes(),
                serializer.serialize(workload.topic(), event)));
      }
      producer.flush();
    }
  }

  /** The sum of the offsets a group has committed. */
  long committed(String group) throws Exception {
    Map<?, OffsetAndMetadata> offsets =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS);
    return new HashMap<>(offsets)
        .values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
  }

  @Override
  public void close() {
    admin.close();
    registry.close();
    broker.close();
  }
}
