package io.runnel.test;

import io.micronaut.context.ApplicationContext;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.SubjectNameStrategy;
import io.runnel.registry.serde.AvroDeserializer;
import io.runnel.registry.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What a {@link RunnelTest} gets: the broker and registry addresses, the running context, and
 * helpers to produce Avro events and wait for the records functions write.
 */
public final class RunnelTestKit implements AutoCloseable {

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  // bootstrap.servers and any TLS or SASL settings, for the kit's own producer and consumers.
  private final Map<String, Object> clientProperties;
  private final String registryUrl;
  private final ApplicationContext context;
  private final SchemaRegistryClient registry;
  private final AvroSerializer serializer;
  // With the writer's schema: ReceivedRecord.value(Class) resolves to a test's type from there.
  private final AvroDeserializer deserializer;
  private final KafkaProducer<byte[], byte[]> producer;

  RunnelTestKit(String bootstrapServers, String registryUrl, ApplicationContext context) {
    this(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), registryUrl, context);
  }

  private RunnelTestKit(
      Map<String, Object> clientProperties, String registryUrl, ApplicationContext context) {
    this.clientProperties = Map.copyOf(clientProperties);
    this.registryUrl = registryUrl;
    this.context = context;
    // A minute per call: on a busy machine the registry's first answer (it creates its topic) can
    // take longer than the client's default 10 s, and a test should wait rather than fail.
    this.registry = new SchemaRegistryClient(registryUrl, Duration.ofSeconds(60), null);
    this.serializer = new AvroSerializer(registry, SubjectNameStrategy.TOPIC_NAME, true, false);
    this.deserializer = new AvroDeserializer(registry, null, false);
    this.producer =
        new KafkaProducer<>(
            with(ProducerConfig.ACKS_CONFIG, "all"),
            new ByteArraySerializer(),
            new ByteArraySerializer());
  }

  /**
   * A kit for a Kafka cluster the test started itself, for example a secured one: its producer and
   * consumers connect with {@code kafkaClientProperties} ({@code bootstrap.servers} and any TLS or
   * SASL settings), and it uses the registry at {@code registryUrl}. It has no context; close it
   * when done.
   */
  public static RunnelTestKit connect(
      Map<String, Object> kafkaClientProperties, String registryUrl) {
    return new RunnelTestKit(kafkaClientProperties, registryUrl, null);
  }

  private Map<String, Object> with(String key, String value) {
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put(key, value);
    return config;
  }

  /** The {@code bootstrap.servers} of the test broker. */
  public String bootstrapServers() {
    return (String) clientProperties.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
  }

  /** The base URL of the dev schema registry. */
  public String registryUrl() {
    return registryUrl;
  }

  /**
   * Registers {@code schema} under {@code subject} (e.g. {@code iot.telemetry-value}) and returns
   * its id, as a producer in another language would before writing.
   *
   * @throws RuntimeException the registry's refusal, naming its error code (409 when the schema is
   *     incompatible with the subject's versions)
   */
  public int registerSchema(String subject, Schema schema) {
    return registry.register(subject, schema);
  }

  /** The schemas registered under {@code subject}, oldest version first; empty when none is. */
  public List<Schema> schemaVersions(String subject) {
    if (!registry.getSubjects().contains(subject)) {
      return List.of();
    }
    return registry.getVersions(subject).stream()
        .map(version -> registry.getVersion(subject, version).schema())
        .toList();
  }

  /** The subjects of the registry. */
  public List<String> subjects() {
    return registry.getSubjects();
  }

  /** The running Micronaut context, or null when the test asked for none. */
  public ApplicationContext context() {
    return context;
  }

  /**
   * Produces an Avro record (registering its schema under {@code <topic>-value}) and waits for the
   * ack.
   */
  public void send(String topic, String key, Object avroValue) {
    sendRaw(topic, key, serializer.serialize(topic, avroValue));
  }

  /**
   * Produces many Avro records (key, value) without waiting for each acknowledgement, then waits
   * for all: they reach the topic faster than a function takes them one by one.
   */
  public void sendAll(String topic, List<Map.Entry<String, Object>> records) {
    List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
    for (Map.Entry<String, Object> record : records) {
      byte[] key =
          record.getKey() == null ? null : record.getKey().getBytes(StandardCharsets.UTF_8);
      sends.add(
          producer.send(
              new ProducerRecord<>(topic, key, serializer.serialize(topic, record.getValue()))));
    }
    try {
      for (java.util.concurrent.Future<?> send : sends) {
        send.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("Cannot produce to " + topic + ": " + e, e);
    }
  }

  /**
   * Produces bytes as they are (for example garbage a function must survive) and waits for the ack.
   */
  public void sendRaw(String topic, String key, byte[] value) {
    try {
      producer
          .send(
              new ProducerRecord<>(
                  topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot produce to " + topic + ": " + e, e);
    }
  }

  /**
   * Waits (30 s at most) until {@code topic} holds {@code count} records matching {@code filter},
   * and returns them.
   */
  public List<ReceivedRecord> awaitRecords(
      String topic, int count, Predicate<ReceivedRecord> filter) {
    return awaitRecords(topic, count, filter, DEFAULT_TIMEOUT);
  }

  /**
   * Reads {@code topic} from the beginning until {@code count} records match {@code filter}; fails
   * with what it saw when the timeout passes first. Values are decoded as GenericRecords with the
   * writer's schema.
   */
  public List<ReceivedRecord> awaitRecords(
      String topic, int count, Predicate<ReceivedRecord> filter, Duration timeout) {
    List<ReceivedRecord> matching = new ArrayList<>();
    int seen = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            with(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      long deadline = System.nanoTime() + timeout.toNanos();
      List<TopicPartition> partitions = List.of();
      while (System.nanoTime() < deadline && matching.size() < count) {
        if (partitions.isEmpty()) {
          partitions =
              consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                  .map(info -> new TopicPartition(topic, info.partition()))
                  .toList();
          consumer.assign(partitions);
          consumer.seekToBeginning(partitions);
          continue;
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          seen++;
          ReceivedRecord received = toReceived(record);
          if (filter.test(received)) {
            matching.add(received);
          }
        }
      }
    }
    if (matching.size() < count) {
      throw new AssertionError(
          "Expected "
              + count
              + " matching records on "
              + topic
              + " within "
              + timeout
              + ", found "
              + matching.size()
              + " among "
              + seen
              + ": "
              + matching);
    }
    return matching;
  }

  /**
   * Waits (30 s at most) until {@code topic} holds {@code count} values and returns them as {@code
   * type}: a generated Avro class, {@code GenericRecord} or {@code String} (see {@link
   * ReceivedRecord#value(Class)}).
   */
  public <T> List<T> awaitValues(String topic, Class<T> type, int count) {
    return awaitValues(topic, type, count, value -> true);
  }

  /**
   * Waits (30 s at most) until {@code topic} holds {@code count} values of {@code type} matching
   * {@code filter}, e.g. {@code alert -> alert.getDeviceId().equals("d-1")}, and returns them.
   */
  public <T> List<T> awaitValues(
      String topic, Class<T> type, int count, Predicate<? super T> filter) {
    return awaitRecords(topic, count, record -> filter.test(record.value(type))).stream()
        .map(record -> record.value(type))
        .toList();
  }

  /**
   * Decodes a value in the Confluent wire format read by the test itself, as {@code type} (see
   * {@link ReceivedRecord#value(Class)}).
   */
  public <T> T decode(byte[] value, Class<T> type) {
    return ValueResolver.as(type, deserializer.deserialize(null, value), value, "A value");
  }

  private ReceivedRecord toReceived(ConsumerRecord<byte[], byte[]> record) {
    Object value;
    try {
      value = deserializer.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      value = null;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header header : record.headers()) {
      headers.put(
          header.key(),
          header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
    }
    return new ReceivedRecord(
        record.topic(),
        record.partition(),
        record.offset(),
        record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
        value,
        record.value(),
        headers,
        record.headers());
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    if (context != null) {
      context.close();
    }
  }
}
