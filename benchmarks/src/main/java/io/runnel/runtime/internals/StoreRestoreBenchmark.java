package io.runnel.runtime.internals;

import io.runnel.embedded.EmbeddedKafkaBroker;
import io.runnel.function.Ordering;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.SubjectNameStrategy;
import io.runnel.registry.serde.AvroSerializer;
import io.runnel.registry.server.DevSchemaRegistry;
import io.runnel.support.FunctionDescriptor;
import io.runnel.support.FunctionShape;
import io.runnel.support.KafkaSettings;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How long a keyed store takes to restore, and the memory it holds: writes one value for each of
 * {@code keys} keys (a device and a count, as a counting function keeps) to a store's changelog on
 * 6 partitions, then times {@link StateStores#assigned} of all 6 and measures the heap it added
 * (after a full GC) and the process's resident size. Argument: the number of keys (1,000,000 by
 * default). {@code ./mvnw -Pbench-restore package -Dbench.args=1000000}.
 */
public final class StoreRestoreBenchmark {

  private static final int PARTITIONS = 6;
  private static final Schema COUNT =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "DeviceCount", "namespace": "io.runnel.benchmarks",
               "fields": [{"name": "deviceId", "type": "string"},
                          {"name": "count", "type": "long"}]}""");

  private StoreRestoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path data = Files.createTempDirectory("runnel-restore");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(data, 0);
        DevSchemaRegistry registry = DevSchemaRegistry.start(broker.bootstrapServers(), 0)) {
      KafkaSettings kafka = new KafkaSettings();
      kafka.setBootstrapServers(broker.bootstrapServers());
      FunctionDescriptor function = function();
      String changelog = function.changelogTopicOf("counts");
      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
        admin
            .createTopics(
                Set.of(
                    new NewTopic(changelog, PARTITIONS, (short) 1)
                        .configs(
                            Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                TopicConfig.CLEANUP_POLICY_COMPACT))))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      SchemaRegistryClient client = new SchemaRegistryClient(registry.url());
      AvroSerializer serializer =
          new AvroSerializer(client, SubjectNameStrategy.TOPIC_NAME, true, false);
      write(broker.bootstrapServers(), serializer, changelog, keys);
      try (StateStores stores =
          StateStores.open(function, kafka, new StateValues(client, serializer))) {
        long heapBefore = usedHeapAfterGc();
        long started = System.nanoTime();
        stores.assigned(
            IntStream.range(0, PARTITIONS)
                .mapToObj(partition -> new TopicPartition("restore.in", partition))
                .toList());
        long restoreMs = (System.nanoTime() - started) / 1_000_000;
        long heapAdded = usedHeapAfterGc() - heapBefore;
        System.out.printf(
            "%,d keys restored in %,d ms (%,.0f keys/s); heap held %,d MiB (%d bytes a key); resident %,d MiB%n",
            keys,
            restoreMs,
            keys * 1000.0 / Math.max(1, restoreMs),
            heapAdded >> 20,
            heapAdded / keys,
            residentBytes() >> 20);
      }
    }
  }

  private static void write(
      String bootstrapServers, AvroSerializer serializer, String changelog, int keys) {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                262_144),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int key = 0; key < keys; key++) {
        GenericRecord count = new GenericData.Record(COUNT);
        count.put("deviceId", "dev-" + key);
        count.put("count", (long) key);
        producer.send(
            new ProducerRecord<>(
                changelog,
                key % PARTITIONS,
                ("dev-" + key).getBytes(StandardCharsets.UTF_8),
                serializer.serialize(changelog, count)));
      }
      producer.flush();
    }
  }

  /** A counting function with store {@code counts}, as the runtime would describe it. */
  private static FunctionDescriptor function() {
    return new FunctionDescriptor(
        "restore",
        List.of("restore.in"),
        "restore",
        null,
        null,
        Ordering.KEY,
        1000,
        null,
        10,
        1.5,
        10_000,
        0,
        null,
        List.of(),
        false,
        null,
        FunctionShape.SINGLE_WITH_CONTEXT,
        GenericRecord.class,
        null,
        null,
        null,
        List.of("counts"),
        List.of());
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long residentBytes() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    return -1;
  }
}
