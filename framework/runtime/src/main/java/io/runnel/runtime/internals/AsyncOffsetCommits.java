package io.runnel.runtime.internals;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At-least-once: commits each partition's finished prefix with the consumer, asynchronously while
 * running (a failed commit is retried by the next one) and synchronously on revoke and shutdown.
 * Outputs were acknowledged before their record counts as finished, so nothing committed is lost.
 */
final class AsyncOffsetCommits implements CommitStrategy {

  private static final Logger LOG = LoggerFactory.getLogger(AsyncOffsetCommits.class);

  private final String functionName;
  private final Consumer<byte[], byte[]> consumer;
  private final PartitionOffsets offsets;
  private final Duration drainTimeout;

  AsyncOffsetCommits(
      String functionName,
      Consumer<byte[], byte[]> consumer,
      PartitionOffsets offsets,
      Duration drainTimeout) {
    this.functionName = functionName;
    this.consumer = consumer;
    this.offsets = offsets;
    this.drainTimeout = drainTimeout;
  }

  @Override
  public void commit() {
    Map<TopicPartition, OffsetAndMetadata> finished = offsets.committable(offsets.partitions());
    if (finished.isEmpty()) {
      return;
    }
    consumer.commitAsync(
        finished,
        (committed, failure) -> {
          if (failure == null) {
            offsets.committed(committed);
          } else {
            LOG.debug(
                "Function {}: commit failed, retried at the next interval: {}",
                functionName,
                failure.toString());
          }
        });
  }

  @Override
  public void commitRevoked(Collection<TopicPartition> partitions) {
    offsets.awaitDrained(partitions);
    try {
      commitSync(partitions);
    } catch (RebalanceInProgressException e) {
      LOG.warn(
          "Function {}: commit on revoke refused by a rebalance; {} will be handled again from the last commit",
          functionName,
          partitions);
    }
  }

  /**
   * A rebalance in progress (another instance joining) refuses commits until this consumer rejoins,
   * so poll to let it complete (the records polled are not handled, and the revoke callback commits
   * what moves) and try again, for as long as the drain timeout allows.
   */
  @Override
  public void commitBeforeLeaving() {
    offsets.awaitDrained(offsets.partitions());
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    while (true) {
      try {
        commitSync(offsets.partitions());
        return;
      } catch (RebalanceInProgressException e) {
        if (System.nanoTime() > deadline) {
          LOG.warn(
              "Function {}: a rebalance kept the last commit from happening; records not committed will be handled again",
              functionName);
          return;
        }
        consumer.poll(ConsumerLoop.POLL_TIMEOUT);
      }
    }
  }

  private void commitSync(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> finished = offsets.committable(partitions);
    if (finished.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(finished);
      offsets.committed(finished);
    } catch (WakeupException | RebalanceInProgressException e) {
      throw e;
    } catch (KafkaException e) {
      LOG.warn(
          "Function {}: commit of {} failed; those records will be handled again: {}",
          functionName,
          finished,
          e.toString());
    }
  }
}
