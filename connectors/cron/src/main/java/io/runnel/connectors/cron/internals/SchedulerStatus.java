package io.runnel.connectors.cron.internals;

import java.time.Instant;

/** Whether this instance fires the schedules, stands by, or cannot reach Kafka; for /health. */
final class SchedulerStatus {

  enum Role {
    STARTING,
    STANDBY,
    FIRING,
    DOWN
  }

  record Reading(Role role, String reason, long ticksPublished, Instant since) {}

  private volatile Reading reading = new Reading(Role.STARTING, null, 0, Instant.now());

  Reading read() {
    return reading;
  }

  synchronized void become(Role role, String reason) {
    Reading now = reading;
    if (now.role() != role || reason != null) {
      reading = new Reading(role, reason, now.ticksPublished(), Instant.now());
    }
  }

  synchronized void published(int ticks) {
    Reading now = reading;
    reading =
        new Reading(
            Role.FIRING,
            null,
            now.ticksPublished() + ticks,
            now.role() == Role.FIRING ? now.since() : Instant.now());
  }
}
