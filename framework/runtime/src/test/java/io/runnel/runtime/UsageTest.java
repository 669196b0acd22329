package io.runnel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.runnel.cli.RunnelCli;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.EventFunction;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.test.Await;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import io.runnel.usage.UsageRecord;
import jakarta.inject.Singleton;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Metering: the usage records instances publish to the usage topic add up to the work they did,
 * across instances and across a graceful restart.
 */
@RunnelTest(startContext = false)
class UsageTest {

  private static final String FUNCTION = "usage-count";

  /**
   * Registers the inputs' schema with a patient client first: a fresh registry's first registration
   * is slow on a busy machine, longer than the kit's requests wait.
   */
  @BeforeAll
  static void registerInputSchemas(RunnelTestKit kit) {
    SchemaRegistryClient registry =
        new SchemaRegistryClient(kit.registryUrl(), Duration.ofSeconds(60), null);
    for (String input : List.of("usage.in", "usage.off.in")) {
      registry.register(input + "-value", SensorReading.getClassSchema());
    }
  }

  @Test
  void usageTotalsEqualTheInvocationsOfTwoInstancesAndARestartOfOne(RunnelTestKit kit)
      throws Exception {
    String input = "usage.in";
    String usageTopic = "runnel.usage.two-instances";
    createTopic(kit, input, 4);
    List<ApplicationContext> contexts = new ArrayList<>();
    List<CountingFunction> runs = new ArrayList<>();
    try {
      ApplicationContext a = start(kit, "usage-a", input, usageTopic, true);
      ApplicationContext b = start(kit, "usage-b", input, usageTopic, true);
      contexts.addAll(List.of(a, b));
      runs.addAll(List.of(bean(a), bean(b)));
      send(kit, input, 0, 40);
      Await.until(
          "40 records handled by two instances", Duration.ofSeconds(90), () -> handled(runs) >= 40);
      a.close(); // graceful: the minute in progress is published
      ApplicationContext restartedA = start(kit, "usage-a", input, usageTopic, true);
      contexts.add(restartedA);
      runs.add(bean(restartedA));
      send(kit, input, 40, 60);
      Await.until(
          "60 records handled after the restart",
          Duration.ofSeconds(90),
          () -> handled(runs) >= 60);
    } finally {
      contexts.stream().filter(ApplicationContext::isRunning).forEach(ApplicationContext::close);
    }

    List<UsageRecord> usage = readAll(kit, usageTopic);
    assertThat(usage).extracting(UsageRecord::getFunction).containsOnly(FUNCTION);
    long invocations = runs.stream().mapToLong(run -> run.invocations.get()).sum();
    long failures = runs.stream().mapToLong(run -> run.failures.get()).sum();
    assertThat(invocations).as("invocations made").isGreaterThanOrEqualTo(60);
    assertThat(failures).as("invocations failed (negative readings)").isPositive();
    assertThat(sum(usage, UsageRecord::getInvocations)).isEqualTo(invocations);
    assertThat(sum(usage, UsageRecord::getFailures)).isEqualTo(failures);
    assertThat(sum(usage, UsageRecord::getRecordsIn)).isEqualTo(invocations);
    assertThat(sum(usage, UsageRecord::getRecordsOut)).isEqualTo(invocations - failures);
    assertThat(sum(usage, UsageRecord::getBusyNanos)).isPositive();
    assertThat(sum(usage, UsageRecord::getBytesIn)).isEqualTo(bytes(kit, input));
    assertThat(sum(usage, UsageRecord::getBytesOut)).isEqualTo(bytes(kit, input + ".out"));

    Map<String, Long> invocationsByInstance =
        usage.stream()
            .collect(
                Collectors.groupingBy(
                    UsageRecord::getInstanceId,
                    Collectors.summingLong(UsageRecord::getInvocations)));
    assertThat(invocationsByInstance)
        .as("each instance's own records, the restarted one's before and after")
        .isEqualTo(
            Map.of(
                "usage-a",
                runs.get(0).invocations.get() + runs.get(2).invocations.get(),
                "usage-b",
                runs.get(1).invocations.get()));
    assertThat(runnelUsage(kit, usageTopic))
        .as("runnel usage --format csv")
        .containsExactly(
            "function,invocations,failures,busy_seconds,records_in,bytes_in,records_out,bytes_out,instances",
            String.join(
                ",",
                FUNCTION,
                Long.toString(invocations),
                Long.toString(failures),
                BigDecimal.valueOf(sum(usage, UsageRecord::getBusyNanos), 9)
                    .setScale(3, RoundingMode.HALF_UP)
                    .toPlainString(),
                Long.toString(invocations),
                Long.toString(bytes(kit, input)),
                Long.toString(invocations - failures),
                Long.toString(bytes(kit, input + ".out")),
                "2"));
    assertThat(usage)
        .allSatisfy(
            record ->
                assertThat(record.getMinuteStart().toEpochMilli() % 60_000)
                    .as("a minute's start")
                    .isZero());
  }

  @Test
  void meteringTurnedOffPublishesNothing(RunnelTestKit kit) throws Exception {
    String input = "usage.off.in";
    String usageTopic = "runnel.usage.off";
    createTopic(kit, input, 1);
    createTopic(kit, usageTopic, 1);
    ApplicationContext off = start(kit, "usage-off", input, usageTopic, false);
    try {
      send(kit, input, 0, 5);
      Await.until("5 records handled", () -> bean(off).invocations.get() == 5);
    } finally {
      off.close();
    }
    assertThat(readAll(kit, usageTopic)).isEmpty();
  }

  /** The lines {@code runnel usage} prints for the last hour, run in this process. */
  private static List<String> runnelUsage(RunnelTestKit kit, String usageTopic) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        new CommandLine(new RunnelCli())
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(
                "usage",
                "--bootstrap-servers",
                kit.bootstrapServers(),
                "--registry-url",
                kit.registryUrl(),
                "--topic",
                usageTopic,
                "--since",
                "1h",
                "--format",
                "csv");
    assertThat(exit).as(err.toString()).isZero();
    return out.toString().lines().toList();
  }

  private static ApplicationContext start(
      RunnelTestKit kit, String instanceId, String input, String usageTopic, boolean metering) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("runnel.test.suite", "usage");
    properties.put("runnel.kafka.bootstrap-servers", kit.bootstrapServers());
    properties.put("runnel.schema-registry.url", kit.registryUrl());
    properties.put("runnel.schema-registry.request-timeout", "60s");
    properties.put("runnel.runtime.instance-id", instanceId);
    properties.put("runnel.usage.enabled", String.valueOf(metering));
    properties.put("runnel.usage.topic", usageTopic);
    properties.put("runnel.functions." + FUNCTION + ".topics", input);
    properties.put("runnel.functions." + FUNCTION + ".output-topic", input + ".out");
    properties.put("runnel.functions." + FUNCTION + ".group", "usage-" + input);
    return ApplicationContext.run(properties);
  }

  private static CountingFunction bean(ApplicationContext context) {
    return context.getBean(CountingFunction.class);
  }

  private static long handled(List<CountingFunction> runs) {
    return runs.stream().mapToLong(run -> run.invocations.get()).sum();
  }

  /** Readings {@code from} to {@code to} (exclusive); every fifth is negative and fails. */
  private static void send(RunnelTestKit kit, String topic, int from, int to) {
    List<Map.Entry<String, Object>> readings = new ArrayList<>();
    for (int i = from; i < to; i++) {
      readings.add(
          Map.entry("k" + i, ExecutionEngineTest.reading("d" + i, i % 5 == 0 ? -i - 1 : i)));
    }
    kit.sendAll(topic, readings);
  }

  private static void createTopic(RunnelTestKit kit, String topic, int partitions)
      throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrapServers()))) {
      admin
          .createTopics(Set.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  /** The keys and values of every record of {@code topic}, in bytes. */
  private static long bytes(RunnelTestKit kit, String topic) {
    return records(kit, topic).stream()
        .mapToLong(record -> record.key().length + record.value().length)
        .sum();
  }

  private static long sum(
      List<UsageRecord> usage, java.util.function.ToLongFunction<UsageRecord> field) {
    return usage.stream().mapToLong(field).sum();
  }

  private static List<UsageRecord> readAll(RunnelTestKit kit, String topic) {
    return records(kit, topic).stream()
        .map(record -> kit.decode(record.value(), UsageRecord.class))
        .toList();
  }

  /** Every record on {@code topic} now. */
  private static List<ConsumerRecord<byte[], byte[]>> records(RunnelTestKit kit, String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrapServers()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          records.add(record);
        }
      }
    }
    return records;
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "usage")
  static class CountingFunction {
    final AtomicLong invocations = new AtomicLong();
    final AtomicLong failures = new AtomicLong();

    @EventFunction(name = FUNCTION, topics = "unset", maxAttempts = 1)
    SensorReading handle(SensorReading reading) {
      invocations.incrementAndGet();
      if (reading.getTemperatureC() < 0) {
        failures.incrementAndGet();
        throw new IllegalArgumentException("a negative reading");
      }
      return reading;
    }
  }
}
