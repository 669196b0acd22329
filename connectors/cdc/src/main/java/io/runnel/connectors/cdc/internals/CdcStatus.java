package io.runnel.connectors.cdc.internals;

import java.time.Instant;

/** What the connector is doing now, for the health endpoint and the logs. */
final class CdcStatus {

  enum State {
    STARTING,
    STREAMING,
    DOWN,
    STOPPED
  }

  /** A consistent reading of the status. */
  record Reading(State state, String reason, long changesPublished, Instant since) {}

  private volatile Reading reading = new Reading(State.STARTING, null, 0, Instant.now());

  Reading read() {
    return reading;
  }

  synchronized void starting() {
    reading = new Reading(State.STARTING, null, reading.changesPublished(), Instant.now());
  }

  synchronized void published(int changes) {
    Reading now = reading;
    reading =
        new Reading(
            State.STREAMING,
            null,
            now.changesPublished() + changes,
            now.state() == State.STREAMING ? now.since() : Instant.now());
  }

  synchronized void down(String reason) {
    reading = new Reading(State.DOWN, reason, reading.changesPublished(), Instant.now());
  }

  synchronized void stopped() {
    reading = new Reading(State.STOPPED, null, reading.changesPublished(), Instant.now());
  }
}
