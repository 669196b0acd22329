package io.runnel.connectors.cron.internals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A schedule's state in the state topic: key = the schedule's name, value = the ISO-8601 instant
 * through which every tick is settled, readable with any Kafka tool.
 */
final class ScheduleState {

  private ScheduleState() {}

  static byte[] encode(TickPlan plan) {
    return plan.settledThrough().toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The settled-through time, or empty for a record this version cannot read. */
  static Optional<Instant> decode(byte[] value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(new String(value, StandardCharsets.UTF_8)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
