package io.runnel.connectors.cron.internals;

import io.micronaut.scheduling.cron.CronExpression;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** When a schedule's ticks fall. */
interface TickCalendar {

  /** The first tick strictly after {@code time}. */
  Instant nextAfter(Instant time);

  /** Ticks at every multiple of {@code rate} since the epoch, so every instance agrees on them. */
  static TickCalendar fixedRate(Duration rate) {
    long millis = rate.toMillis();
    return time ->
        Instant.ofEpochMilli(Math.floorDiv(time.toEpochMilli(), millis) * millis + millis);
  }

  /**
   * Ticks where {@code cron} (Micronaut's syntax, with seconds) matches the wall clock of {@code
   * zone}.
   */
  static TickCalendar cron(CronExpression cron, ZoneId zone) {
    return time -> cron.nextTimeAfter(ZonedDateTime.ofInstant(time, zone)).toInstant();
  }
}
