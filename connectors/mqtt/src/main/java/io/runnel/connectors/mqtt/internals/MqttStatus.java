package io.runnel.connectors.mqtt.internals;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** What the connector is doing now, for {@code /health}: connection state and counts. */
final class MqttStatus {

  enum State {
    STARTING,
    CONNECTED,
    /**
     * The client dropped the connection because the broker broke the protocol (e.g. sent more than
     * the receive maximum); stays so after reconnecting until the connection has held for a while,
     * so a reconnect loop never looks healthy between drops.
     */
    BROKER_PROTOCOL_ERROR,
    BROKER_UNREACHABLE,
    KAFKA_UNREACHABLE,
    STOPPED
  }

  record Reading(
      State state,
      String reason,
      Instant since,
      long published,
      long deadLettered,
      long sentToDevices,
      long drops,
      String lastDrop) {}

  private volatile State state = State.STARTING;
  private volatile String reason;
  private volatile Instant since = Instant.now();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong sentToDevices = new AtomicLong();
  private final AtomicLong drops = new AtomicLong();
  private volatile String lastDrop;

  synchronized void become(State state, String reason) {
    if (this.state != state || reason != null) {
      this.state = state;
      this.reason = reason;
      this.since = Instant.now();
    }
  }

  /** Becomes {@code next} only if the state is still {@code expected} (a timer's late check). */
  synchronized void becomeIf(State expected, State next) {
    if (state == expected) {
      become(next, null);
    }
  }

  State state() {
    return state;
  }

  void published(boolean deadLetter) {
    (deadLetter ? deadLettered : published).incrementAndGet();
  }

  void sentToDevices(int count) {
    sentToDevices.addAndGet(count);
  }

  /** A connection to the broker ended while the connector meant to stay connected. */
  void dropped(String why) {
    drops.incrementAndGet();
    lastDrop = Instant.now() + " " + why;
  }

  Reading read() {
    synchronized (this) {
      return new Reading(
          state,
          reason,
          since,
          published.get(),
          deadLettered.get(),
          sentToDevices.get(),
          drops.get(),
          lastDrop);
    }
  }
}
