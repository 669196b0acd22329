package io.runnel.runtime.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.junit.jupiter.api.Test;

class AsyncOffsetCommitsTest {

  static final TopicPartition P0 = new TopicPartition("t", 0);
  static final TopicPartition P1 = new TopicPartition("t", 1);

  final PartitionOffsets offsets = new PartitionOffsets("f", Duration.ZERO);
  final CommitRecordingConsumer consumer = new CommitRecordingConsumer();
  final AsyncOffsetCommits commits = new AsyncOffsetCommits("f", consumer, offsets, Duration.ZERO);

  RecordWork take(TopicPartition partition, long offset) {
    RecordWork work =
        new RecordWork(
            new ConsumerRecord<>(partition.topic(), partition.partition(), offset, null, null),
            (w, e) -> {},
            FunctionMetrics.NONE);
    offsets.taken(partition, work);
    return work;
  }

  @Test
  void eachPartitionCommitsItsFinishedPrefixOnly() {
    take(P0, 0).handled();
    take(P0, 1);
    take(P0, 2).handled();
    take(P1, 5);

    commits.commit();

    assertThat(consumer.lastCommitted(P0)).isEqualTo(1);
    assertThat(consumer.lastCommitted(P1)).isNull();
    // The acknowledged commit is remembered: nothing moved since.
    assertThat(offsets.committable(offsets.partitions())).isEmpty();
  }

  @Test
  void onRevokeOnlyTheRevokedPartitionsAreCommitted() {
    take(P0, 0).handled();
    take(P1, 0).handled();

    commits.commitRevoked(List.of(P0));

    assertThat(consumer.lastCommitted(P0)).isEqualTo(1);
    assertThat(consumer.lastCommitted(P1)).isNull();
  }

  @Test
  void theLastCommitWaitsOutARebalanceInProgress() {
    CommitRecordingConsumer refusingOnce =
        new CommitRecordingConsumer() {
          int refusals = 1;

          @Override
          public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            if (refusals-- > 0) {
              throw new RebalanceInProgressException("joining");
            }
            super.commitSync(offsets);
          }
        };
    // Polled while the rebalance completes.
    refusingOnce.assign(List.of(P0));
    refusingOnce.updateBeginningOffsets(Map.of(P0, 0L));
    take(P0, 0).handled();
    take(P0, 1).handled();

    new AsyncOffsetCommits("f", refusingOnce, offsets, Duration.ofMinutes(1)).commitBeforeLeaving();

    assertThat(refusingOnce.lastCommitted(P0)).isEqualTo(2);
  }

  @Test
  void recordsStillRunningAtShutdownAreNotCommittedPast() {
    take(P0, 0).handled();
    take(P0, 1);
    take(P0, 2).handled();

    commits.commitBeforeLeaving();

    assertThat(consumer.lastCommitted(P0)).isEqualTo(1);
  }
}
