package io.runnel.connectors.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.schedule.ScheduleTick;
import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two scheduler processes (separate JVMs) share a schedule ticking every second. The firing one is
 * killed with SIGKILL, later the other is stopped with SIGTERM; each time the survivor takes over.
 * Every tick between the first and the last must be in the topic exactly once (missed policy
 * FIRE_ALL), read as a downstream consumer would (read_committed).
 */
@RunnelTest(startContext = false)
class ScheduleFailoverTest {

  private static final Logger LOG = LoggerFactory.getLogger(ScheduleFailoverTest.class);
  private static final String TOPIC = "failover.beat";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void failoverNeitherSkipsNorDoublesATick(RunnelTestKit kit) throws Exception {
    Path logs = Path.of("target", "schedule-failover");
    logs.toFile().mkdirs();
    Process a = start(kit, "a", logs.resolve("a-1.log").toFile());
    awaitTicksFrom(kit, "a", 3);
    Process b = start(kit, "b", logs.resolve("b-1.log").toFile());
    int fromA = awaitTicksFrom(kit, "a", 6);

    a.destroyForcibly().waitFor();
    LOG.info("Killed the firing instance a after {} ticks", fromA);
    awaitTicksFrom(kit, "b", 3);
    Process restartedA = start(kit, "a", logs.resolve("a-2.log").toFile());
    int fromB = awaitTicksFrom(kit, "b", 6);

    b.destroy(); // SIGTERM: a graceful stop hands over at once
    b.waitFor();
    LOG.info("Stopped the firing instance b after {} ticks", fromB);
    awaitTicksFrom(kit, "a", fromA + 3);
    restartedA.destroy();
    restartedA.waitFor();

    List<ReceivedRecord> ticks = kit.awaitRecords(TOPIC, 1, record -> true);
    List<Instant> scheduled = new ArrayList<>();
    List<String> firedBy = new ArrayList<>();
    long maxDelayMs = 0;
    for (ReceivedRecord record : ticks) {
      ScheduleTick tick = record.value(ScheduleTick.class);
      Instant time = tick.getScheduledTime();
      scheduled.add(time);
      firedBy.add(record.header("runnel.schedule.instance"));
      assertThat(tick.getMissedTicks()).isZero();
      long delay = tick.getFireTime().toEpochMilli() - time.toEpochMilli();
      assertThat(delay).as("fire time after scheduled time").isNotNegative();
      maxDelayMs = Math.max(maxDelayMs, delay);
      if (firedBy.size() > 1
          && !firedBy.get(firedBy.size() - 1).equals(firedBy.get(firedBy.size() - 2))) {
        LOG.info(
            "Handover to {}: its first tick ({}) published {} ms after its time",
            firedBy.get(firedBy.size() - 1),
            time,
            delay);
      }
    }
    for (int i = 1; i < scheduled.size(); i++) {
      assertThat(Duration.between(scheduled.get(i - 1), scheduled.get(i)))
          .as(
              "ticks %d and %d (%s, %s), fired by %s",
              i - 1, i, scheduled.get(i - 1), scheduled.get(i), firedBy)
          .isEqualTo(Duration.ofSeconds(1));
    }
    assertThat(firedBy).containsSubsequence("a", "b", "a");
    LOG.info(
        "{} ticks from {} to {}, each exactly once; longest delay behind schedule {} ms (the"
            + " SIGKILL failover)",
        scheduled.size(),
        scheduled.get(0),
        scheduled.get(scheduled.size() - 1),
        maxDelayMs);
  }

  /**
   * Waits until {@code count} ticks fired by {@code instance} are in the topic; returns the count.
   */
  private static int awaitTicksFrom(RunnelTestKit kit, String instance, int count) {
    return kit.awaitRecords(
            TOPIC,
            count,
            record -> instance.equals(record.header("runnel.schedule.instance")),
            WAIT)
        .size();
  }

  private static Process start(RunnelTestKit kit, String instance, File log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    // /health on a free port: the instances run side by side, and never on dev mode's 8080.
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-Dmicronaut.server.port=-1"));
    Map.of(
            "runnel.kafka.bootstrap-servers", kit.bootstrapServers(),
            "runnel.schema-registry.url", kit.registryUrl(),
            "runnel.kafka.consumer.session.timeout.ms", "6000",
            "runnel.kafka.consumer.heartbeat.interval.ms", "500",
            "runnel.runtime.instance-id", instance,
            "runnel.runtime.enabled", "false",
            "runnel.scheduler.group", "failover-test",
            "runnel.schedules.beat.fixed-rate", "1s",
            "runnel.schedules.beat.topic", TOPIC,
            "runnel.schedules.beat.missed", "FIRE_ALL")
        .forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), SchedulerMain.class.getName()));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
        .start();
  }
}
