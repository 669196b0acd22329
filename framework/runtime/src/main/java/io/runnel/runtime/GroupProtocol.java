package io.runnel.runtime;

import java.util.Locale;

/**
 * The consumer group protocol of every function's consumer ({@code runnel.runtime.group-protocol}):
 * how partitions move between instances when one joins or leaves. Both move only the partitions
 * that change owner; the README compares them.
 */
public enum GroupProtocol {
  /**
   * Kafka's classic protocol with the cooperative-sticky assignor (unless {@code
   * runnel.kafka.consumer.partition.assignment.strategy} names another): the members agree on the
   * assignment among themselves, in two rounds, and keep the partitions they keep.
   */
  CLASSIC,
  /**
   * KIP-848's protocol: the broker assigns and tells each member what to give up and take, one
   * heartbeat at a time; session and heartbeat times are the broker's ({@code
   * group.consumer.session.timeout.ms}, {@code group.consumer.heartbeat.interval.ms}).
   */
  CONSUMER;

  /** The value of Kafka's {@code group.protocol} consumer setting. */
  public String kafkaName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
