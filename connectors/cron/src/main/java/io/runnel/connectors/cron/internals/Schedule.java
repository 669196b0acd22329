package io.runnel.connectors.cron.internals;

import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.scheduling.cron.CronExpression;
import io.runnel.connectors.cron.MissedTickPolicy;
import io.runnel.connectors.cron.ScheduleSettings;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/**
 * A validated schedule and the rule that turns "ticks settled through T, the time is now" into the
 * ticks to publish. Pure: the firing instance calls it with the state it read from Kafka.
 */
record Schedule(
    String name,
    String topic,
    TickCalendar calendar,
    MissedTickPolicy missed,
    Duration misfireThreshold,
    int maxMissed) {

  /** Checks the settings; a bad one fails start-up naming it. */
  static Schedule of(ScheduleSettings settings) {
    String prefix = "runnel.schedules." + settings.getName() + ".";
    TickCalendar calendar;
    if ((settings.getCron() == null) == (settings.getFixedRate() == null)) {
      throw new ConfigurationException(
          prefix + "cron and " + prefix + "fixed-rate: set exactly one of them");
    }
    if (settings.getCron() != null) {
      ZoneId zone;
      try {
        zone = ZoneId.of(settings.getZone());
      } catch (DateTimeException e) {
        throw new ConfigurationException(
            prefix
                + "zone: '"
                + settings.getZone()
                + "' is not a time zone ("
                + e.getMessage()
                + ")");
      }
      try {
        calendar = TickCalendar.cron(CronExpression.create(settings.getCron()), zone);
      } catch (RuntimeException e) {
        throw new ConfigurationException(
            prefix
                + "cron: '"
                + settings.getCron()
                + "' is not a cron expression with seconds (second minute hour day-of-month month"
                + " day-of-week): "
                + e.getMessage());
      }
    } else {
      if (settings.getFixedRate().toMillis() < 1) {
        throw new ConfigurationException(
            prefix + "fixed-rate must be at least 1ms, was " + settings.getFixedRate());
      }
      calendar = TickCalendar.fixedRate(settings.getFixedRate());
    }
    try {
      Topic.validate(settings.getTopic());
    } catch (InvalidTopicException e) {
      throw new ConfigurationException(prefix + "topic: " + e.getMessage());
    }
    if (settings.getMisfireThreshold() == null || settings.getMisfireThreshold().isNegative()) {
      throw new ConfigurationException(prefix + "misfire-threshold must be zero or more");
    }
    if (settings.getMaxMissed() < 1) {
      throw new ConfigurationException(
          prefix + "max-missed must be at least 1, was " + settings.getMaxMissed());
    }
    return new Schedule(
        settings.getName(),
        settings.getTopic(),
        calendar,
        settings.getMissed(),
        settings.getMisfireThreshold(),
        settings.getMaxMissed());
  }

  /**
   * The ticks due in {@code (settledThrough, now]}. Those later than the misfire threshold are
   * missed and follow the policy; the rest are published as they are.
   */
  TickPlan plan(Instant settledThrough, Instant now) {
    Instant missedBefore = now.minus(misfireThreshold);
    // Only the newest maxMissed missed ticks are kept; the count covers all of them.
    Deque<Instant> missedTicks = new ArrayDeque<>();
    int missedCount = 0;
    List<Instant> onTime = new ArrayList<>();
    Instant last = settledThrough;
    for (Instant due = calendar.nextAfter(settledThrough);
        !due.isAfter(now);
        due = calendar.nextAfter(due)) {
      last = due;
      if (due.isBefore(missedBefore)) {
        missedCount++;
        missedTicks.addLast(due);
        if (missedTicks.size() > maxMissed) {
          missedTicks.removeFirst();
        }
      } else {
        onTime.add(due);
      }
    }
    List<Tick> ticks = new ArrayList<>();
    int unpublished =
        switch (missed) {
          case FIRE_ALL -> {
            int dropped = missedCount - missedTicks.size();
            for (Instant tick : missedTicks) {
              ticks.add(new Tick(tick, ticks.isEmpty() ? dropped : 0));
            }
            yield 0;
          }
          case FIRE_ONCE -> {
            if (missedCount > 0) {
              ticks.add(new Tick(missedTicks.getLast(), missedCount - 1));
            }
            yield 0;
          }
          case SKIP -> missedCount;
        };
    for (Instant tick : onTime) {
      ticks.add(new Tick(tick, ticks.isEmpty() ? unpublished : 0));
    }
    return new TickPlan(ticks, last);
  }
}
