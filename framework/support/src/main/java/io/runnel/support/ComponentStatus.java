package io.runnel.support;

import io.micronaut.health.HealthStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a long-running component (a connector) is doing now, for {@code /health} and the logs: its
 * state, why it is down, since when, and counters. {@link ComponentHealthIndicator} reports it
 * under the component's name: UP in a running state, UNKNOWN while starting (or DOWN, see {@link
 * #downWhileStarting()}), DOWN with the reason otherwise.
 *
 * @param <S> the component's states
 */
public final class ComponentStatus<S extends Enum<S>> {

  /** A reading of the status: the state as it was, the counters as they were when read. */
  public record Reading<S>(S state, String reason, Instant since, Map<String, Long> counters) {

    /** The value of {@code counter}, 0 when nothing was counted. */
    public long counter(String counter) {
      return counters.getOrDefault(counter, 0L);
    }
  }

  private final String name;
  private final String stateKey;
  private final Set<S> running;
  private final S starting;
  // Counted without a lock: a connector counts every message, and /health reads now and then.
  private final Map<String, LongAdder> counters;
  private volatile Map<String, Object> fixedDetails = Map.of();
  private volatile Map<String, Object> notes = Map.of();
  private volatile HealthStatus startingHealth = HealthStatus.UNKNOWN;
  private volatile Phase<S> phase;

  private record Phase<S>(S state, String reason, Instant since) {}

  /**
   * @param name the entry's name in {@code /health}, e.g. {@code cdc}
   * @param stateKey the detail that shows the state, e.g. {@code state}
   * @param starting the first state, reported as UNKNOWN unless {@link #downWhileStarting()}
   * @param running the states reported as UP; all others but {@code starting} are DOWN
   * @param counters the counters, in the order the details show them
   */
  public ComponentStatus(
      String name, String stateKey, S starting, Set<S> running, List<String> counters) {
    this.name = name;
    this.stateKey = stateKey;
    this.starting = starting;
    this.running = Set.copyOf(running);
    Map<String, LongAdder> adders = new LinkedHashMap<>();
    counters.forEach(counter -> adders.put(counter, new LongAdder()));
    this.counters = Collections.unmodifiableMap(adders);
    this.phase = new Phase<>(starting, null, Instant.now());
  }

  /** Adds a detail that does not change, e.g. the names of the configured schedules. */
  public synchronized ComponentStatus<S> withDetail(String key, Object value) {
    Map<String, Object> details = new LinkedHashMap<>(fixedDetails);
    details.put(key, value);
    fixedDetails = Collections.unmodifiableMap(details);
    return this;
  }

  /**
   * Reports the starting state as DOWN rather than UNKNOWN: for a component that is not ready until
   * it runs (a function's consumer, in {@code /health/readiness}).
   */
  public ComponentStatus<S> downWhileStarting() {
    startingHealth = HealthStatus.DOWN;
    return this;
  }

  /** Sets a detail that changes now and then, e.g. when and why a connection was last lost. */
  public synchronized void note(String key, Object value) {
    Map<String, Object> details = new LinkedHashMap<>(notes);
    details.put(key, value);
    notes = Collections.unmodifiableMap(details);
  }

  /** The current reading. */
  public Reading<S> read() {
    Phase<S> now = phase;
    Map<String, Long> values = new LinkedHashMap<>();
    counters.forEach((counter, adder) -> values.put(counter, adder.sum()));
    return new Reading<>(
        now.state(), now.reason(), now.since(), Collections.unmodifiableMap(values));
  }

  /**
   * Enters {@code state}; {@code since} moves when the state changes or a reason is given (a new
   * failure while down).
   */
  public synchronized void become(S state, String reason) {
    if (phase.state() != state || reason != null) {
      phase = new Phase<>(state, reason, Instant.now());
    }
  }

  /** Enters {@code next} only if the state is still {@code expected} (a timer's late check). */
  public synchronized void becomeIf(S expected, S next) {
    if (phase.state() == expected) {
      become(next, null);
    }
  }

  /** Counts {@code amount} on {@code counter} and enters {@code state} (keeping its since). */
  public void progressed(S state, String counter, long amount) {
    become(state, null);
    count(counter, amount);
  }

  /** Counts {@code amount} on {@code counter}, whatever the state. */
  public void count(String counter, long amount) {
    LongAdder adder = counters.get(counter);
    if (adder == null) {
      throw new IllegalArgumentException(
          name + " has no counter " + counter + "; its counters are " + counters.keySet());
    }
    adder.add(amount);
  }

  String name() {
    return name;
  }

  HealthStatus health(Reading<S> reading) {
    if (running.contains(reading.state())) {
      return HealthStatus.UP;
    }
    return reading.state() == starting ? startingHealth : HealthStatus.DOWN;
  }

  /** The state, since, counters, fixed details, notes and reason, in that order. */
  Map<String, Object> details(Reading<S> reading) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put(stateKey, reading.state().name());
    details.put("since", reading.since().toString());
    details.putAll(reading.counters());
    details.putAll(fixedDetails);
    details.putAll(notes);
    if (reading.reason() != null) {
      details.put("reason", reading.reason());
    }
    return details;
  }
}
