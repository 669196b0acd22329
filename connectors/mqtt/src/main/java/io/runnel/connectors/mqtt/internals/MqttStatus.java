package io.runnel.connectors.mqtt.internals;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** What the connector is doing now, for {@code /health}: connection state and counts. */
final class MqttStatus {

  enum State {
    STARTING,
    CONNECTED,
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
      long sentToDevices) {}

  private volatile State state = State.STARTING;
  private volatile String reason;
  private volatile Instant since = Instant.now();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong sentToDevices = new AtomicLong();

  synchronized void become(State state, String reason) {
    if (this.state != state || reason != null) {
      this.state = state;
      this.reason = reason;
      this.since = Instant.now();
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

  Reading read() {
    synchronized (this) {
      return new Reading(
          state, reason, since, published.get(), deadLettered.get(), sentToDevices.get());
    }
  }
}
