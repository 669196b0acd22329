package io.runnel.benchmarks;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.EventContext;
import io.runnel.function.EventFunction;
import io.runnel.function.KeyedStore;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.serde.AvroDeserializer;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counting per key, side by side: a Runnel function with a keyed store (read, add one, write) and
 * Kafka Streams' own {@code groupByKey().count()} (RocksDB, its default), on the same pre-produced
 * readings (6 partitions), each with a fresh group, timed from start to the group having committed
 * every event; both decode each reading and commit every 500 ms, at-least-once. The I/O-bound
 * variant waits 5 ms per event before the update (a remote call): Runnel runs keys concurrently,
 * Kafka Streams one record per partition at a time (with one stream thread per partition).
 * Arguments: events, keys, I/O-bound events (defaults 1,000,000, 10,000, 20,000).
 */
public final class CountingBenchmark {

  static final Schema COUNT =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "DeviceCount", "namespace": "io.runnel.benchmarks",
               "fields": [{"name": "deviceId", "type": "string"},
                          {"name": "count", "type": "long"}]}""");

  private static final int PARTITIONS = 6;

  private CountingBenchmark() {}

  /** Runnel's contender: counts each reading's device in store {@code counts}. */
  @Singleton
  @Requires(property = "runnel.benchmark", value = "counting")
  static class CountingFunction {
    static volatile long sleepMs;

    @EventFunction(name = "count", topics = "unset", stores = "counts")
    void handle(SensorReading reading, EventContext context) throws InterruptedException {
      if (sleepMs > 0) {
        Thread.sleep(sleepMs);
      }
      KeyedStore<GenericRecord> counts = context.store("counts", GenericRecord.class);
      GenericRecord previous = counts.get();
      GenericRecord next = new GenericData.Record(COUNT);
      next.put("deviceId", reading.getDeviceId());
      next.put("count", previous == null ? 1L : (Long) previous.get("count") + 1);
      counts.put(next);
    }
  }

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int keys = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int ioEvents = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    try (BenchmarkCluster cluster =
        new BenchmarkCluster(Files.createTempDirectory("runnel-counting"))) {
      List<Workload> workloads =
          List.of(
              new Workload("count", "count.cpu", PARTITIONS, events, keys, 0),
              new Workload("count, 5 ms I/O", "count.io", PARTITIONS, ioEvents, keys, 5));
      for (Workload workload : workloads) {
        cluster.produce(workload);
      }
      StringBuilder table =
          new StringBuilder(
              "| workload | Runnel events/s | Kafka Streams events/s | ratio |\n|---|---|---|---|\n");
      for (Workload workload : workloads) {
        double runnel =
            timed(cluster, workload, "runnel-" + workload.topic(), () -> runnel(cluster, workload));
        double streams =
            timed(
                cluster, workload, "streams-" + workload.topic(), () -> streams(cluster, workload));
        table.append(
            String.format(
                "| %s, %,d events, %,d keys | %,.0f | %,.0f | %.2fx |%n",
                workload.name(),
                workload.events(),
                workload.keys(),
                runnel,
                streams,
                runnel / streams));
      }
      System.out.println(table);
    }
  }

  @FunctionalInterface
  private interface Start {
    AutoCloseable start() throws Exception;
  }

  /** Events per second from start until the group committed every event. */
  private static double timed(
      BenchmarkCluster cluster, Workload workload, String group, Start start) throws Exception {
    long started = System.nanoTime();
    try (AutoCloseable contender = start.start()) {
      while (cluster.committed(group) < workload.events()) {
        Thread.sleep(20);
      }
      return workload.events() * 1e9 / (System.nanoTime() - started);
    }
  }

  private static AutoCloseable runnel(BenchmarkCluster cluster, Workload workload) {
    CountingFunction.sleepMs = workload.sleepMs();
    Map<String, Object> properties = new HashMap<>();
    properties.put("runnel.benchmark", "counting");
    properties.put("runnel.http.enabled", "false");
    properties.put("kafka.enabled", "false");
    properties.put("runnel.kafka.bootstrap-servers", cluster.bootstrapServers());
    properties.put("runnel.schema-registry.url", cluster.registryUrl());
    properties.put("runnel.functions.count.topics", workload.topic());
    properties.put("runnel.functions.count.group", "runnel-" + workload.topic());
    return ApplicationContext.run(properties);
  }

  private static AutoCloseable streams(BenchmarkCluster cluster, Workload workload) {
    AvroDeserializer readings =
        AvroDeserializer.forSpecificClass(
            new SchemaRegistryClient(cluster.registryUrl()), SensorReading.class);
    long sleepMs = workload.sleepMs();
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(workload.topic(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
        .mapValues(
            value -> {
              SensorReading reading = (SensorReading) readings.deserialize(workload.topic(), value);
              if (sleepMs > 0) {
                try {
                  Thread.sleep(sleepMs);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return reading.getDeviceId().toString();
            })
        .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
        .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts"));
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "streams-" + workload.topic());
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, PARTITIONS);
    config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 500);
    try {
      config.put(
          StreamsConfig.STATE_DIR_CONFIG,
          Files.createTempDirectory("runnel-counting-streams").toString());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    KafkaStreams streams = new KafkaStreams(builder.build(), config);
    streams.start();
    return () -> streams.close(Duration.ofSeconds(30));
  }
}
