package io.runnel.runtime.internals;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once: each commit waits until every record taken is finished (no new ones are taken
 * meanwhile, as it runs on the poll thread), then commits their outputs and the input offsets in
 * one transaction of the function's {@link TransactionalProducer}. When an output was not
 * acknowledged or records still run at the drain timeout, it aborts instead and rewinds the
 * consumer to the last committed offsets, so those records are polled and handled again in a new
 * transaction, and has the function's {@link AssignedState} read again, as it holds the aborted
 * writes. One transaction spans all partitions, so a revoke commits them all.
 */
final class TransactionalCommits implements CommitStrategy {

  private static final Logger LOG = LoggerFactory.getLogger(TransactionalCommits.class);

  private final String functionName;
  private final Consumer<byte[], byte[]> consumer;
  private final PartitionOffsets offsets;
  private final TransactionalProducer producer;
  private final AssignedState state;
  private final AtomicBoolean sendFailed = new AtomicBoolean();

  TransactionalCommits(
      String functionName,
      Consumer<byte[], byte[]> consumer,
      PartitionOffsets offsets,
      TransactionalProducer producer,
      AssignedState state) {
    this.functionName = functionName;
    this.consumer = consumer;
    this.offsets = offsets;
    this.producer = producer;
    this.state = state;
  }

  /**
   * A record's output was not acknowledged: the record counts as finished, so the commit is not
   * held up, and the next commit aborts the transaction instead. Its {@link
   * RecordWork.SendFailures}.
   */
  void abortAtNextCommit(RecordWork work, Exception sendFailure) {
    LOG.warn(
        "Function {}: an output of offset {} was not acknowledged ({}); the transaction will be aborted",
        functionName,
        work.offset(),
        sendFailure.toString());
    sendFailed.set(true);
    work.handled();
  }

  @Override
  public void commit() {
    boolean drained = offsets.awaitDrained(offsets.partitions());
    if (!drained || sendFailed.getAndSet(false)) {
      abortAndRewind();
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> finished = offsets.committable(offsets.partitions());
    if (finished.isEmpty()) {
      return; // no record finished since the last commit, so nothing was sent either
    }
    try {
      producer.commitTransaction(finished, consumer.groupMetadata());
      offsets.committed(finished);
    } catch (ProducerFencedException | InvalidProducerEpochException e) {
      throw e; // another instance took over this transactional id: stop
    } catch (KafkaException e) {
      LOG.warn(
          "Function {}: transaction commit failed, aborting and handling its records again: {}",
          functionName,
          e.toString());
      abortAndRewind();
    }
  }

  @Override
  public void commitRevoked(Collection<TopicPartition> partitions) {
    commit();
  }

  @Override
  public void commitBeforeLeaving() {
    commit();
  }

  private void abortAndRewind() {
    producer.abortTransaction();
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(offsets.partitions());
    for (TopicPartition partition : offsets.partitions()) {
      OffsetAndMetadata offset = committed.get(partition);
      if (offset != null) {
        consumer.seek(partition, offset);
      } else {
        consumer.seekToBeginning(List.of(partition));
      }
    }
    offsets.forgetAll();
    state.reload(consumer.assignment());
  }
}
