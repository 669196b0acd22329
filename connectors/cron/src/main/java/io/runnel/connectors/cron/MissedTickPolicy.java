package io.runnel.connectors.cron;

/**
 * What happens to ticks that fell due while no instance could fire them (all instances down, a
 * failover, Kafka unreachable) and are later than the schedule's {@code misfire-threshold}.
 */
public enum MissedTickPolicy {
  /**
   * Publish one tick for them all: the latest missed one, with {@code missedTicks} counting the
   * rest.
   */
  FIRE_ONCE,
  /** Publish every missed tick in order (at most {@code max-missed}, the newest ones). */
  FIRE_ALL,
  /**
   * Publish none of them. An on-time tick published in the same turn (the first after the downtime)
   * counts them in {@code missedTicks}.
   */
  SKIP
}
