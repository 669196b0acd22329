package io.runnel.connectors.cron.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.exceptions.ConfigurationException;
import io.runnel.connectors.cron.MissedTickPolicy;
import io.runnel.connectors.cron.ScheduleSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tick rule: which ticks a firing instance publishes for a given state and time. */
class ScheduleTest {

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  private static Schedule everySecond(MissedTickPolicy missed, int maxMissed) {
    return everySecond(missed, maxMissed, Duration.ofMillis(1500));
  }

  private static Schedule everySecond(
      MissedTickPolicy missed, int maxMissed, Duration misfireThreshold) {
    ScheduleSettings settings = new ScheduleSettings("beat");
    settings.setFixedRate(Duration.ofSeconds(1));
    settings.setMissed(missed);
    settings.setMisfireThreshold(misfireThreshold);
    settings.setMaxMissed(maxMissed);
    return Schedule.of(settings);
  }

  private static Tick tick(String time, int missedBefore) {
    return new Tick(Instant.parse("2026-11-23T10:00:" + time + "Z"), missedBefore);
  }

  @Test
  void onTimeTicksArePublishedOnceEach() {
    Schedule schedule = everySecond(MissedTickPolicy.FIRE_ONCE, 100);
    TickPlan plan = schedule.plan(T0, T0.plusMillis(999));
    assertThat(plan.ticks()).isEmpty();
    assertThat(plan.settledThrough()).isEqualTo(T0);

    plan = schedule.plan(T0, T0.plusMillis(1200));
    assertThat(plan.ticks()).containsExactly(tick("01", 0));
    assertThat(plan.settledThrough()).isEqualTo(T0.plusSeconds(1));
    // The state moved on: asking again at the same time publishes nothing more.
    assertThat(schedule.plan(plan.settledThrough(), T0.plusMillis(1200)).ticks()).isEmpty();
  }

  @Test
  void fireAllPublishesEveryMissedTickInOrder() {
    TickPlan plan = everySecond(MissedTickPolicy.FIRE_ALL, 100).plan(T0, T0.plusMillis(5200));
    assertThat(plan.ticks())
        .containsExactly(tick("01", 0), tick("02", 0), tick("03", 0), tick("04", 0), tick("05", 0));
    assertThat(plan.settledThrough()).isEqualTo(T0.plusSeconds(5));
  }

  @Test
  void fireAllKeepsOnlyTheNewestMaxMissedAndCountsTheRest() {
    TickPlan plan = everySecond(MissedTickPolicy.FIRE_ALL, 2).plan(T0, T0.plusMillis(6200));
    // 01..04 are missed (older than 1.5 s), 05 and 06 are on time; 2 missed kept: 03 and 04.
    assertThat(plan.ticks())
        .containsExactly(tick("03", 2), tick("04", 0), tick("05", 0), tick("06", 0));
  }

  @Test
  void fireOnceCoalescesTheMissedTicksIntoTheLatest() {
    TickPlan plan = everySecond(MissedTickPolicy.FIRE_ONCE, 100).plan(T0, T0.plusMillis(6200));
    assertThat(plan.ticks()).containsExactly(tick("04", 3), tick("05", 0), tick("06", 0));
    assertThat(plan.settledThrough()).isEqualTo(T0.plusSeconds(6));
  }

  @Test
  void skipDropsTheMissedTicksAndCountsThemInTheNextOnTimeOne() {
    TickPlan plan = everySecond(MissedTickPolicy.SKIP, 100).plan(T0, T0.plusMillis(6200));
    assertThat(plan.ticks()).containsExactly(tick("05", 4), tick("06", 0));

    // Nothing on time: nothing published, but the missed ticks are settled.
    plan =
        everySecond(MissedTickPolicy.SKIP, 100, Duration.ofMillis(200))
            .plan(T0, T0.plusMillis(4600));
    assertThat(plan.ticks()).isEmpty();
    assertThat(plan.settledThrough()).isEqualTo(T0.plusSeconds(4));
  }

  @Test
  void fixedRateTicksAreMultiplesOfTheRateSinceTheEpoch() {
    ScheduleSettings settings = new ScheduleSettings("quarter-hour");
    settings.setFixedRate(Duration.ofMinutes(15));
    TickCalendar calendar = Schedule.of(settings).calendar();
    assertThat(calendar.nextAfter(Instant.parse("2026-11-23T10:07:12.345Z")))
        .isEqualTo(Instant.parse("2026-11-23T10:15:00Z"));
    assertThat(calendar.nextAfter(Instant.parse("2026-11-23T10:15:00Z")))
        .isEqualTo(Instant.parse("2026-11-23T10:30:00Z"));
  }

  @Test
  void cronTicksFollowTheWallClockOfTheZone() {
    ScheduleSettings settings = new ScheduleSettings("morning");
    settings.setCron("0 0 9 * * MON-FRI");
    settings.setZone("America/New_York");
    TickCalendar calendar = Schedule.of(settings).calendar();
    // Friday 2026-11-20 after 9:00 New York: next is Monday 9:00 EST = 14:00Z.
    assertThat(calendar.nextAfter(Instant.parse("2026-11-20T15:00:00Z")))
        .isEqualTo(Instant.parse("2026-11-23T14:00:00Z"));
    // In summer time 9:00 New York is 13:00Z.
    assertThat(calendar.nextAfter(Instant.parse("2026-07-01T00:00:00Z")))
        .isEqualTo(Instant.parse("2026-07-01T13:00:00Z"));
  }

  @Test
  void badSettingsNameTheSetting() {
    ScheduleSettings neither = new ScheduleSettings("x");
    ScheduleSettings both = new ScheduleSettings("x");
    both.setCron("0 * * * * ?");
    both.setFixedRate(Duration.ofSeconds(1));
    ScheduleSettings badCron = new ScheduleSettings("x");
    badCron.setCron("every monday");
    ScheduleSettings badZone = new ScheduleSettings("x");
    badZone.setCron("0 * * * * ?");
    badZone.setZone("Mars/Olympus");
    ScheduleSettings badTopic = new ScheduleSettings("x");
    badTopic.setFixedRate(Duration.ofSeconds(1));
    badTopic.setTopic("no spaces");
    ScheduleSettings zeroRate = new ScheduleSettings("x");
    zeroRate.setFixedRate(Duration.ZERO);
    for (var bad :
        List.of(
            List.of(neither, "runnel.schedules.x.cron and runnel.schedules.x.fixed-rate"),
            List.of(both, "runnel.schedules.x.cron and runnel.schedules.x.fixed-rate"),
            List.of(badCron, "runnel.schedules.x.cron: 'every monday'"),
            List.of(badZone, "runnel.schedules.x.zone: 'Mars/Olympus'"),
            List.of(badTopic, "runnel.schedules.x.topic"),
            List.of(zeroRate, "runnel.schedules.x.fixed-rate"))) {
      assertThatThrownBy(() -> Schedule.of((ScheduleSettings) bad.get(0)))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining((String) bad.get(1));
    }
  }
}
