package io.runnel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.EventFunction;
import io.runnel.test.Await;
import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAccumulator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/**
 * The lag and work meters against a real broker: a backlog held up by a blocked function shows as
 * lag, in records and in time, and in the replicas it calls for, until the function is let go; the
 * bytes and busy time count the work done.
 */
@RunnelTest(startContext = false)
class FunctionLagTest {

  private static final String BACKLOG_TOPIC = "lag.backlog";
  private static final int PARTITIONS = 4;
  private static final int BACKLOG = 50;
  private static final int TARGET_LAG = 20;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void lagAndDesiredReplicasFollowABacklogUpAndBackToZero(RunnelTestKit kit) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrapServers()))) {
      admin
          .createTopics(Set.of(new NewTopic(BACKLOG_TOPIC, PARTITIONS, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    Map<String, Object> properties = properties(kit, "lag");
    properties.put("runnel.functions.lag-blocked.scaling.target-lag", TARGET_LAG);
    properties.put("runnel.functions.lag-blocked.scaling.min-replicas", 0);
    ApplicationContext context = ApplicationContext.run(properties);
    BlockedFunction function = context.getBean(BlockedFunction.class);
    try {
      MeterRegistry meters = context.getBean(MeterRegistry.class);
      Await.until(
          "the lag of every partition read",
          WAIT,
          () -> lagByPartition(meters, "lag-blocked"),
          lag -> lag.size() == PARTITIONS);
      assertThat(totalLag(meters, "lag-blocked")).isZero();
      assertThat(gauge(meters, "runnel.function.desired.replicas", "lag-blocked")).isZero();

      List<Map.Entry<String, Object>> backlog = new ArrayList<>();
      for (int i = 0; i < BACKLOG; i++) {
        backlog.add(Map.entry("k" + i, ExecutionEngineTest.reading("k" + i, i)));
      }
      awaitSchemaRegistered(kit, BACKLOG_TOPIC);
      kit.sendAll(BACKLOG_TOPIC, backlog);
      DoubleAccumulator arrival = new DoubleAccumulator(Math::max, 0);
      Await.until(
          "the whole backlog counted as lag",
          WAIT,
          () -> {
            arrival.accumulate(gauge(meters, "runnel.function.arrival.rate", "lag-blocked"));
            return totalLag(meters, "lag-blocked");
          },
          lag -> lag == BACKLOG);
      assertThat(lagByPartition(meters, "lag-blocked").values())
          .as("the backlog spread over the partitions")
          .filteredOn(lag -> lag > 0)
          .hasSizeGreaterThan(1);
      assertThat(gauge(meters, "runnel.function.desired.replicas", "lag-blocked"))
          .as("ceil(50 / 20)")
          .isEqualTo(3);
      Await.until(
          "the oldest record's age shown",
          WAIT,
          () -> gauge(meters, "runnel.function.lag.seconds", "lag-blocked") > 0);
      assertThat(arrival.get()).as("the arrival rate while the backlog came").isPositive();
      assertThat(gauge(meters, "runnel.function.completion.rate", "lag-blocked")).isZero();
      Await.until(
          "every record taken",
          WAIT,
          () -> counter(meters, "runnel.function.records", "lag-blocked") == BACKLOG);
      assertThat(counter(meters, "runnel.function.bytes.in", "lag-blocked"))
          .isEqualTo(bytes(kit.awaitRecords(BACKLOG_TOPIC, BACKLOG, r -> true)));

      function.release.countDown();
      DoubleAccumulator completion = new DoubleAccumulator(Math::max, 0);
      Await.until(
          "no lag left",
          WAIT,
          () -> {
            completion.accumulate(gauge(meters, "runnel.function.completion.rate", "lag-blocked"));
            return List.of(
                (double) totalLag(meters, "lag-blocked"),
                gauge(meters, "runnel.function.desired.replicas", "lag-blocked"),
                gauge(meters, "runnel.function.lag.seconds", "lag-blocked"));
          },
          readings -> readings.equals(List.of(0.0, 0.0, 0.0)));
      assertThat(completion.get()).as("the completion rate while it was worked off").isPositive();
      assertThat(function.handled.get()).isEqualTo(BACKLOG);
    } finally {
      function.release.countDown();
      context.close();
    }
  }

  @Test
  void bytesInAndOutAndBusyTimeCountTheWorkDone(RunnelTestKit kit) {
    ApplicationContext context = ApplicationContext.run(properties(kit, "lag-work"));
    try {
      MeterRegistry meters = context.getBean(MeterRegistry.class);
      List<Map.Entry<String, Object>> inputs = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        // One key: the invocations run one after another, so their time adds up to no more than
        // the time they took together.
        inputs.add(Map.entry("one-key", ExecutionEngineTest.reading("one-key", i)));
      }
      awaitSchemaRegistered(kit, "lag.work");
      long start = System.nanoTime();
      kit.sendAll("lag.work", inputs);
      List<ReceivedRecord> outputs = kit.awaitRecords("lag.work.out", 20, r -> true);
      double wallSeconds = (System.nanoTime() - start) / 1e9;

      assertThat(counter(meters, "runnel.function.bytes.in", "lag-work"))
          .isEqualTo(bytes(kit.awaitRecords("lag.work", 20, r -> true)));
      Await.until(
          "every output's bytes counted once acknowledged",
          WAIT,
          () -> counter(meters, "runnel.function.bytes.out", "lag-work"),
          sent -> sent == bytes(outputs));
      assertThat(counter(meters, "runnel.function.busy.seconds", "lag-work"))
          .isPositive()
          .isLessThanOrEqualTo(wallSeconds);
    } finally {
      context.close();
    }
  }

  private static Map<String, Object> properties(RunnelTestKit kit, String suite) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("runnel.test.suite", suite);
    properties.put("runnel.kafka.bootstrap-servers", kit.bootstrapServers());
    properties.put("runnel.schema-registry.url", kit.registryUrl());
    properties.put("runnel.scaling.interval", "200ms");
    return properties;
  }

  /**
   * The first request of a test JVM to the dev registry creates its topic, which can take longer
   * than one request's timeout on a loaded machine.
   */
  private static void awaitSchemaRegistered(RunnelTestKit kit, String topic) {
    Await.until(
        "the reading schema registered for " + topic,
        WAIT,
        () -> {
          try {
            kit.registerSchema(topic + "-value", SensorReading.getClassSchema());
            return true;
          } catch (RuntimeException e) {
            return false;
          }
        });
  }

  private static double bytes(List<ReceivedRecord> records) {
    return records.stream()
        .mapToLong(
            r ->
                (r.key() == null ? 0 : r.key().getBytes(StandardCharsets.UTF_8).length)
                    + r.rawValue().length)
        .sum();
  }

  private static Map<String, Long> lagByPartition(MeterRegistry meters, String function) {
    Map<String, Long> lag = new HashMap<>();
    for (Gauge gauge :
        meters.find("runnel.function.lag.records").tag("function", function).gauges()) {
      lag.put(
          gauge.getId().getTag("topic") + "-" + gauge.getId().getTag("partition"),
          (long) gauge.value());
    }
    return lag;
  }

  private static long totalLag(MeterRegistry meters, String function) {
    return lagByPartition(meters, function).values().stream().mapToLong(Long::longValue).sum();
  }

  private static double gauge(MeterRegistry meters, String name, String function) {
    return meters.get(name).tag("function", function).gauge().value();
  }

  private static double counter(MeterRegistry meters, String name, String function) {
    return meters.get(name).tag("function", function).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "lag")
  static class BlockedFunction {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger handled = new AtomicInteger();

    @EventFunction(name = "lag-blocked", topics = BACKLOG_TOPIC, timeoutMs = 0)
    void handle(SensorReading reading) throws InterruptedException {
      release.await();
      handled.incrementAndGet();
    }
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "lag-work")
  static class CopyingFunction {
    @EventFunction(name = "lag-work", topics = "lag.work", outputTopic = "lag.work.out")
    SensorReading handle(SensorReading reading) {
      return reading;
    }
  }
}
