package io.runnel.streams.internals;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micronaut.core.annotation.Nullable;
import io.runnel.support.ComponentStatus;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One topology running as a Kafka Streams application: its state in {@code /health} (through {@link
 * ComponentStatus}), Kafka Streams' own metrics in the meter registry (Micrometer's {@link
 * KafkaStreamsMetrics}, tagged {@code topology}), and a close bounded by {@code close-timeout}.
 */
final class RunningTopology implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RunningTopology.class);

  private final String name;
  private final Duration closeTimeout;
  private final ComponentStatus<KafkaStreams.State> status;
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics metrics;
  private volatile Throwable failure;

  private RunningTopology(
      TopologySettings settings,
      Topology topology,
      Properties config,
      ComponentStatus<KafkaStreams.State> status,
      @Nullable MeterRegistry meters) {
    this.name = settings.name();
    this.closeTimeout = settings.closeTimeout();
    this.status = status;
    this.streams = new KafkaStreams(topology, config);
    streams.setStateListener(
        (now, before) ->
            status.become(
                now, now == KafkaStreams.State.ERROR && failure != null ? reason() : null));
    // A stream thread that throws has met something the dead-letter handlers do not cover (a bug
    // in the topology, a fenced producer): the client stops and /health says why, rather than a
    // replacement thread failing on the same record for ever.
    streams.setUncaughtExceptionHandler(
        thrown -> {
          failure = thrown;
          LOG.error("Topology {} stops: a stream thread failed", name, thrown);
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    this.metrics =
        meters == null ? null : new KafkaStreamsMetrics(streams, Tags.of("topology", name));
    if (metrics != null) {
      metrics.bindTo(meters);
    }
  }

  /** A {@code status} for the health entry of topology {@code name}. */
  static ComponentStatus<KafkaStreams.State> newStatus(String name) {
    return new ComponentStatus<>(
            "streams-" + name,
            "state",
            KafkaStreams.State.CREATED,
            // UP while it rebalances too: a rebalance is part of running (Kafka's own
            // isRunningOrRebalancing), and readiness should not flap with every member that joins.
            Set.of(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING),
            List.of(DeadLetters.COUNTER))
        .downWhileStarting();
  }

  /** Starts {@code topology} with {@code config}; its state shows in {@code status}. */
  static RunningTopology start(
      TopologySettings settings,
      Topology topology,
      Properties config,
      ComponentStatus<KafkaStreams.State> status,
      @Nullable MeterRegistry meters) {
    RunningTopology running = new RunningTopology(settings, topology, config, status, meters);
    running.streams.start();
    LOG.info(
        "Topology {} started as Kafka Streams application {}",
        running.name,
        config.get("application.id"));
    return running;
  }

  ComponentStatus<KafkaStreams.State> status() {
    return status;
  }

  private String reason() {
    return failure.getClass().getName() + ": " + failure.getMessage();
  }

  /** Closes the application, waiting {@code close-timeout} at most, and removes its meters. */
  @Override
  public void close() {
    if (!streams.close(closeTimeout)) {
      LOG.warn("Topology {} did not close within {}", name, closeTimeout);
    }
    if (metrics != null) {
      metrics.close();
    }
  }
}
