package io.runnel.connectors.cron.internals;

import java.time.Instant;
import java.util.List;

/**
 * What to publish for one schedule now, and the time every tick up to which is settled (published
 * or, by the missed policy, dropped) once it is: the schedule's new state.
 */
record TickPlan(List<Tick> ticks, Instant settledThrough) {

  boolean isEmpty() {
    return ticks.isEmpty();
  }
}
