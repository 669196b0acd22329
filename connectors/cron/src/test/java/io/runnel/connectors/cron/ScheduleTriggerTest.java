package io.runnel.connectors.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import io.runnel.function.EventFunction;
import io.runnel.schedule.ScheduleTick;
import io.runnel.test.Await;
import io.runnel.test.HealthProbe;
import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Schedules in a running application: a function takes the ticks; a restart follows the policy. */
@RunnelTest(startContext = false)
class ScheduleTriggerTest {

  /** A function subscribed to a schedule's topic, like any other event function. */
  @Singleton
  @Requires(property = "runnel.test.suite", value = "schedule")
  static class TickRecorder {
    final List<ScheduleTick> ticks = new CopyOnWriteArrayList<>();

    @EventFunction(name = "tick-recorder", topics = "schedule.heartbeat")
    void handle(ScheduleTick tick) {
      ticks.add(tick);
    }
  }

  private static ApplicationContext start(RunnelTestKit kit, Map<String, Object> settings) {
    Map<String, Object> properties = new HashMap<>(settings);
    properties.put("runnel.kafka.bootstrap-servers", kit.bootstrapServers());
    properties.put("runnel.schema-registry.url", kit.registryUrl());
    properties.put("runnel.runtime.instance-id", "test");
    return ApplicationContext.run(properties);
  }

  @Test
  void aFunctionSubscribedToTheScheduleTopicReceivesEveryTick(RunnelTestKit kit)
      throws InterruptedException {
    try (ApplicationContext context =
        start(
            kit,
            Map.of(
                "runnel.test.suite", "schedule",
                "runnel.scheduler.group", "trigger-test",
                "runnel.scheduler.state-topic", "trigger-test-state",
                "runnel.schedules.heartbeat.fixed-rate", "1s"))) {
      List<ScheduleTick> ticks = context.getBean(TickRecorder.class).ticks;
      Await.until("3 ticks handled", () -> ticks.size() >= 3);
      for (int i = 0; i < ticks.size(); i++) {
        ScheduleTick tick = ticks.get(i);
        assertThat(tick.getSchedule()).isEqualTo("heartbeat");
        assertThat(tick.getFireTime()).isAfterOrEqualTo(tick.getScheduledTime());
        assertThat(tick.getScheduledTime().toEpochMilli() % 1000).isZero();
        if (i > 0) {
          assertThat(Duration.between(ticks.get(i - 1).getScheduledTime(), tick.getScheduledTime()))
              .isEqualTo(Duration.ofSeconds(1));
        }
      }
      HealthResult health = HealthProbe.read(context, "scheduler");
      assertThat(health.getStatus()).isEqualTo(HealthStatus.UP);
      assertThat(((Map<?, ?>) health.getDetails()).get("role")).isEqualTo("FIRING");
      Counter counted =
          context
              .getBean(MeterRegistry.class)
              .get("runnel.schedule.ticks")
              .tag("schedule", "heartbeat")
              .counter();
      Await.until("as many ticks counted as handled", () -> counted.count() == ticks.size());
    }
  }

  @Test
  void afterADowntimeFireOnceCoalescesTheMissedTicksIntoOne(RunnelTestKit kit)
      throws InterruptedException {
    String topic = "downtime.ticks";
    Map<String, Object> settings =
        Map.of(
            "runnel.runtime.enabled", "false",
            "runnel.scheduler.group", "downtime-test",
            "runnel.scheduler.state-topic", "downtime-test-state",
            "runnel.schedules.downtime.fixed-rate", "1s",
            "runnel.schedules.downtime.topic", topic,
            "runnel.schedules.downtime.missed", "FIRE_ONCE",
            "runnel.schedules.downtime.misfire-threshold", "300ms");
    try (ApplicationContext first = start(kit, settings)) {
      kit.awaitRecords(topic, 2, record -> true);
    }
    int before = kit.awaitRecords(topic, 1, record -> true).size();
    Thread.sleep(3_500); // all instances down: at least 3 ticks fall due meanwhile
    List<ReceivedRecord> records;
    try (ApplicationContext second = start(kit, settings)) {
      records = kit.awaitRecords(topic, before + 3, record -> true);
    }
    int coalesced = 0;
    for (int i = 1; i < records.size(); i++) {
      ScheduleTick previous = records.get(i - 1).value(ScheduleTick.class);
      ScheduleTick tick = records.get(i).value(ScheduleTick.class);
      int missed = tick.getMissedTicks();
      // Each tick follows the previous one by one period, plus one per tick coalesced into it.
      assertThat(Duration.between(previous.getScheduledTime(), tick.getScheduledTime()))
          .as("gap before tick %d (missedTicks %d) in %s", i, missed, records)
          .isEqualTo(Duration.ofSeconds(missed + 1));
      if (missed > 0) {
        coalesced++;
        assertThat(i).as("the coalesced tick is the first after the restart").isEqualTo(before);
        assertThat(missed).isGreaterThanOrEqualTo(2);
      }
    }
    assertThat(coalesced).isEqualTo(1);
  }

  @Test
  void withoutAutoRegistrationTicksWaitForTheirSchemaToBeRegistered(RunnelTestKit kit)
      throws Exception {
    String topic = "unregistered.ticks";
    Map<String, Object> settings =
        Map.of(
            "runnel.runtime.enabled", "false",
            "runnel.schema-registry.auto-register-schemas", "false",
            "runnel.scheduler.group", "unregistered-test",
            "runnel.scheduler.state-topic", "unregistered-test-state",
            "runnel.scheduler.retry-backoff", "200ms",
            "runnel.schedules.unregistered.fixed-rate", "1s",
            "runnel.schedules.unregistered.topic", topic);
    try (ApplicationContext context = start(kit, settings)) {
      // Nothing under the subject: the scheduler says why, and publishes nothing.
      HealthResult down = HealthProbe.await(context, "scheduler", "DOWN", Duration.ofSeconds(30));
      assertThat(((Map<?, ?>) down.getDetails()).get("reason"))
          .asString()
          .contains("under subject " + topic + "-value");
      assertThat(kit.subjects()).doesNotContain(topic + "-value");

      kit.registerSchema(topic + "-value", ScheduleTick.getClassSchema());
      assertThat(kit.awaitRecords(topic, 1, record -> true)).isNotEmpty();
      HealthProbe.await(context, "scheduler", "UP", Duration.ofSeconds(30));
    }
  }

  @Test
  void aBadScheduleFailsStartUpNamingTheSetting(RunnelTestKit kit) {
    assertThatThrownBy(
            () ->
                start(
                    kit,
                    Map.of(
                        "runnel.runtime.enabled", "false",
                        "runnel.schedules.nightly.cron", "every night at two")))
        .hasStackTraceContaining("runnel.schedules.nightly.cron: 'every night at two'");
  }
}
