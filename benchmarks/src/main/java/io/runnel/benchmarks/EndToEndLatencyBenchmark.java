package io.runnel.benchmarks;

import io.runnel.examples.iot.SensorReading;
import io.runnel.examples.iot.TemperatureAlert;
import io.runnel.registry.serde.AvroDeserializer;
import io.runnel.registry.serde.AvroSerializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Workload A's pass-through at a fixed rate, open loop, and the latency of each event from its
 * scheduled send time to its output's acknowledgement, p50/p99/p99.9 per contender and rate.
 *
 * <p>The producer sends on schedule whatever the backlog (an event late because the sender fell
 * behind counts from when it should have gone), so a contender that stalls cannot hide it
 * (coordinated omission). Each event's {@code timestamp} is its scheduled send time; the
 * pass-through copies it into the output, whose topic has {@code
 * message.timestamp.type=LogAppendTime}, so the output record's timestamp is when the broker
 * appended it, just before it acknowledged it (one replica). Latency is the difference, in whole
 * milliseconds as both timestamps are. Broker, producer and contender share the JVM and so the
 * clock.
 *
 * <p>Each contender gets fresh topics and group; one event goes through before the schedule starts,
 * so group join is not measured, and the first {@code --warmup-seconds} of the schedule is not
 * recorded.
 */
@Command(name = "end-to-end-latency-benchmark", mixinStandardHelpOptions = true)
public final class EndToEndLatencyBenchmark implements Callable<Integer> {

  private static final int PARTITIONS = 6;
  private static final int KEYS = 10_000;
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @Option(
      names = "--rates",
      split = ",",
      description =
          "Events per second, one run of each contender at each (default: ${DEFAULT-VALUE}).")
  List<Integer> rates = List.of(1_000, 5_000);

  @Option(
      names = "--warmup-seconds",
      description =
          "Seconds at the rate before latencies are recorded (default: ${DEFAULT-VALUE}).")
  int warmupSeconds = 10;

  @Option(
      names = "--seconds",
      description = "Seconds at the rate whose latencies are recorded (default: ${DEFAULT-VALUE}).")
  int seconds = 60;

  @Mixin ContenderFilter contenderFilter = new ContenderFilter();

  /** One contender at one rate: its latencies (ms) and the outputs it should have measured. */
  record Run(int rate, String contender, Histogram latencies, long expected) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new EndToEndLatencyBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<Contender> contenders =
        List.<Contender>of(
                RawLoopContender.flushAndCommitPerPoll(),
                new MicronautKafkaContender(false),
                new RunnelContender())
            .stream()
            .filter(contenderFilter::selects)
            .toList();
    List<Run> runs = new ArrayList<>();
    Path dataDir = Files.createTempDirectory("runnel-latency");
    try (BenchmarkCluster cluster = new BenchmarkCluster(dataDir)) {
      for (int turn = 0; turn < rates.size(); turn++) {
        int rate = rates.get(turn);
        for (int i = 0; i < contenders.size(); i++) {
          // Each rate starts one contender later, so none always runs first on a cold JIT.
          Contender contender = contenders.get((i + turn) % contenders.size());
          Run run = measure(cluster, contender, rate);
          runs.add(run);
          System.out.printf(
              "  %,6d events/s  %-45s p50 %4d ms  p99 %4d ms  p99.9 %4d ms  (%,d of %,d outputs)%n",
              rate,
              contender.name(),
              run.latencies().getValueAtPercentile(50),
              run.latencies().getValueAtPercentile(99),
              run.latencies().getValueAtPercentile(99.9),
              run.latencies().getTotalCount(),
              run.expected());
        }
      }
    }
    print(runs);
    return 0;
  }

  private Run measure(BenchmarkCluster cluster, Contender contender, int rate) throws Exception {
    String id =
        "latency-"
            + rate
            + "-"
            + contender.name().replaceAll("[^a-zA-Z]+", "-")
            + System.nanoTime();
    long warmupEvents = (long) warmupSeconds * rate;
    long measuredEvents = (long) seconds * rate;
    Workload workload =
        new Workload(
            "A pass-through at " + rate + " events/s",
            "in-" + id,
            PARTITIONS,
            (int) (1 + warmupEvents + measuredEvents),
            KEYS,
            0);
    String outputTopic = "out-" + id;
    cluster.createTopic(workload.topic(), PARTITIONS);
    cluster.createTopic(
        outputTopic,
        PARTITIONS,
        Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));
    OrderChecker order = new OrderChecker(workload);
    OutputReader outputs = new OutputReader(cluster, outputTopic);
    // Linger 0: the load generator adds as little as it can to every contender's latency.
    try (KafkaProducer<byte[], byte[]> producer = cluster.producer(0);
        outputs;
        AutoCloseable running =
            contender.start(workload, cluster, "group-" + id, outputTopic, order)) {
      AvroSerializer serializer = cluster.serializer();
      // One event first: the contender has joined its group and handled it before the clock runs.
      send(producer, serializer, workload, 0, System.currentTimeMillis());
      await(() -> order.handled() > 0, contender.name() + " to handle its first event");
      long startNanos = System.nanoTime();
      long startMillis = System.currentTimeMillis();
      outputs.recordFrom(startMillis + warmupSeconds * 1000L);
      for (long n = 0; n < warmupEvents + measuredEvents; n++) {
        long offsetNanos = n * 1_000_000_000L / rate;
        long wait = startNanos + offsetNanos - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        // The scheduled time, not now: a late send still counts from when it was due.
        send(producer, serializer, workload, (int) n + 1, startMillis + offsetNanos / 1_000_000);
      }
      producer.flush();
      await(
          () -> outputs.recorded() >= measuredEvents,
          contender.name() + " to emit " + measuredEvents + " outputs");
    }
    return new Run(rate, contender.name(), outputs.latencies(), measuredEvents);
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer,
      AvroSerializer serializer,
      Workload workload,
      int sequence,
      long timestampMillis) {
    SensorReading event = workload.event(sequence, Instant.ofEpochMilli(timestampMillis));
    producer.send(
        new ProducerRecord<>(
            workload.topic(),
            null,
            timestampMillis,
            event.getDeviceId().getBytes(),
            serializer.serialize(workload.topic(), event)));
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Waited " + PATIENCE + " for " + what);
      }
      Thread.sleep(10);
    }
  }

  /**
   * Reads the output topic on a thread of its own and records, for each output whose input was
   * scheduled at or after {@link #recordFrom}, its broker append time minus that scheduled time.
   */
  private static final class OutputReader implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong recordFrom = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong recorded = new AtomicLong();
    private final Histogram latencies = new Histogram(TimeUnit.MINUTES.toMillis(10), 3);
    private final Thread thread;

    OutputReader(BenchmarkCluster cluster, String topic) {
      AvroDeserializer deserializer = cluster.deserializer(TemperatureAlert.class);
      KafkaConsumer<byte[], byte[]> consumer = cluster.consumer("reader-" + topic);
      consumer.subscribe(List.of(topic));
      thread =
          Thread.ofPlatform()
              .name("output-reader")
              .start(
                  () -> {
                    try (consumer) {
                      while (running.get()) {
                        for (ConsumerRecord<byte[], byte[]> record :
                            consumer.poll(Duration.ofMillis(100))) {
                          long scheduled =
                              ((TemperatureAlert) deserializer.deserialize(topic, record.value()))
                                  .getTimestamp()
                                  .toEpochMilli();
                          if (scheduled >= recordFrom.get()) {
                            latencies.recordValue(Math.max(0, record.timestamp() - scheduled));
                            recorded.incrementAndGet();
                          }
                        }
                      }
                    }
                  });
    }

    void recordFrom(long scheduledMillis) {
      recordFrom.set(scheduledMillis);
    }

    long recorded() {
      return recorded.get();
    }

    /** The latencies recorded (ms); read once closed, as only the reader's thread writes them. */
    Histogram latencies() {
      return latencies;
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join();
    }
  }

  private static void print(List<Run> runs) {
    System.out.printf(
        "%n| rate (events/s) | contender | outputs measured | p50 (ms) | p99 (ms) | p99.9 (ms) | max (ms) |%n");
    System.out.println("|---|---|---|---|---|---|---|");
    runs.stream()
        .sorted(
            Comparator.comparingInt(Run::rate)
                .thenComparing(Run::contender, Comparator.naturalOrder()))
        .forEach(
            run ->
                System.out.printf(
                    "| %,d | %s | %,d | %d | %d | %d | %d |%n",
                    run.rate(),
                    run.contender(),
                    run.latencies().getTotalCount(),
                    run.latencies().getValueAtPercentile(50),
                    run.latencies().getValueAtPercentile(99),
                    run.latencies().getValueAtPercentile(99.9),
                    run.latencies().getMaxValue()));
    System.out.println();
  }
}
