package io.runnel.runtime.internals;

import io.runnel.support.ComponentStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Where one function's consumer is in its life, for {@code /health/readiness} (an entry named by
 * the function): STARTING until its first poll, POLLING while it polls (holding partitions or
 * waiting for some), RESTARTING from a failure until a new consumer polls, STOPPED once the runtime
 * closes. Only POLLING is UP; the others are DOWN with the reason. STOPPED is final.
 */
final class ConsumerLoopStatus {

  enum State {
    STARTING,
    POLLING,
    RESTARTING,
    STOPPED
  }

  private static final String RESTARTS = "restarts";

  private final ComponentStatus<State> status;

  ConsumerLoopStatus(String function) {
    status =
        new ComponentStatus<>(
                function, "state", State.STARTING, Set.of(State.POLLING), List.of(RESTARTS))
            .downWhileStarting();
  }

  /** A poll returned: the consumer is in its group, or joining it. */
  synchronized void polling() {
    if (state() != State.STOPPED) {
      status.become(State.POLLING, null);
    }
  }

  /** The consumer now holds {@code partitions} partitions. */
  void assigned(int partitions) {
    status.note("partitions", partitions);
  }

  /** The consumer stopped on {@code failure}; a new one starts at {@code restartAt}. */
  synchronized void restarting(Throwable failure, Instant restartAt) {
    if (state() == State.STOPPED) {
      return;
    }
    String cause = failure.getClass().getSimpleName() + ": " + failure.getMessage();
    status.count(RESTARTS, 1);
    status.note("last-failure", cause);
    status.become(State.RESTARTING, "stopped by " + cause + "; restarting at " + restartAt);
  }

  /** The runtime stopped the consumer; {@code reason} says why. */
  synchronized void stopped(String reason) {
    status.become(State.STOPPED, reason);
  }

  State state() {
    return status.read().state();
  }

  /** How long the consumer has been polling without a failure; zero when it is not polling. */
  Duration healthyFor(Instant now) {
    ComponentStatus.Reading<State> reading = status.read();
    return reading.state() == State.POLLING
        ? Duration.between(reading.since(), now)
        : Duration.ZERO;
  }

  ComponentStatus<State> componentStatus() {
    return status;
  }
}
