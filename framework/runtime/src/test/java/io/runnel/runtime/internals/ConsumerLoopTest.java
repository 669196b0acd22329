package io.runnel.runtime.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.support.FunctionScaling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The loop's back-pressure, rebalance and failure decisions, driven one poll at a time. */
class ConsumerLoopTest {

  static final TopicPartition P0 = new TopicPartition("t", 0);
  static final TopicPartition P1 = new TopicPartition("t", 1);
  static final TopicPartition P2 = new TopicPartition("t", 2);
  static final int MAX_BUFFERED = 4;

  final CommitRecordingConsumer consumer = new CommitRecordingConsumer();
  final PartitionOffsets offsets = new PartitionOffsets("f", Duration.ZERO);
  final List<RecordWork> handed = new ArrayList<>();
  final ConsumerLoopStatus status = new ConsumerLoopStatus("f");
  final ConsumerLoop loop = newLoop(consumer, offsets, handed, status, MAX_BUFFERED);

  /**
   * A loop of function {@code f} on topic {@code t} that hands records to {@code handed}. A long
   * commit interval: commits happen only when the loop decides a burst is done, or on revoke.
   */
  static ConsumerLoop newLoop(
      CommitRecordingConsumer consumer,
      PartitionOffsets offsets,
      List<RecordWork> handed,
      ConsumerLoopStatus status,
      int maxBuffered) {
    return new ConsumerLoop(
        "f",
        List.of("t"),
        maxBuffered,
        Duration.ofDays(1),
        consumer,
        offsets,
        new AsyncOffsetCommits("f", consumer, offsets, Duration.ZERO),
        handed::addAll,
        (work, failure) -> {},
        RecordMeters.NONE,
        new LagMonitor(
            "f",
            List.of("t"),
            new FunctionScaling(1000, 1, OptionalInt.empty()),
            Duration.ofDays(1),
            consumer,
            offsets,
            FunctionMetrics.NONE),
        status,
        AssignedState.NONE);
  }

  ConsumerLoopTest() {
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L, P2, 0L));
    loop.subscribe();
    consumer.rebalance(List.of(P0, P1));
  }

  void produce(TopicPartition partition, long offset) {
    consumer.addRecord(
        new ConsumerRecord<>(partition.topic(), partition.partition(), offset, null, null));
  }

  RecordWork handed(TopicPartition partition, long offset) {
    return handed.stream()
        .filter(w -> w.record().partition() == partition.partition() && w.offset() == offset)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void partitionsPauseAtMaxBufferedRecordsAndResumeOnceHalfAreDone() {
    produce(P0, 0);
    produce(P0, 1);
    produce(P1, 0);
    produce(P1, 1);

    loop.pollOnce();
    assertThat(handed).hasSize(4);
    assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, P1);

    handed(P0, 1).handled(); // behind an unfinished record: still held
    handed(P1, 0).handled();
    loop.pollOnce();
    assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, P1);

    handed(P0, 0).handled();
    loop.pollOnce();
    assertThat(consumer.paused()).isEmpty();
  }

  @Test
  void partitionsAssignedWhilePausedStartPaused() {
    for (long offset = 0; offset < MAX_BUFFERED; offset++) {
      produce(P0, offset);
    }
    loop.pollOnce();

    consumer.rebalance(List.of(P0, P1, P2));

    assertThat(consumer.paused()).contains(P2);
  }

  @Test
  void aBurstIsCommittedOnceEveryRecordTakenIsFinished() {
    produce(P0, 0);
    produce(P0, 1);
    loop.pollOnce();
    handed(P0, 0).handled();
    loop.pollOnce();
    assertThat(consumer.lastCommitted(P0)).isNull();

    handed(P0, 1).handled();
    loop.pollOnce();

    assertThat(consumer.lastCommitted(P0)).isEqualTo(2);
  }

  @Test
  void aRevokedPartitionCommitsItsFinishedPrefixAndIsForgotten() {
    produce(P0, 0);
    produce(P0, 1);
    produce(P0, 2);
    produce(P1, 0);
    loop.pollOnce();
    handed(P0, 0).handled();
    handed(P0, 2).handled();

    consumer.rebalance(List.of(P1));

    assertThat(consumer.lastCommitted(P0)).isEqualTo(1);
    assertThat(consumer.lastCommitted(P1)).isNull();
    assertThat(offsets.partitions()).containsExactly(P1);
  }

  @Test
  void aStoppedLoopCommitsWhatFinishedAndClosesTheConsumer() {
    produce(P0, 0);
    produce(P0, 1);
    loop.pollOnce();
    handed(P0, 0).handled();

    loop.stop();
    loop.run();

    assertThat(consumer.lastCommitted(P0)).isEqualTo(1);
    assertThat(consumer.closed()).isTrue();
  }

  @Test
  void theFirstPollMarksTheLoopPolling() {
    assertThat(status.state()).isEqualTo(ConsumerLoopStatus.State.STARTING);

    loop.pollOnce();

    assertThat(status.state()).isEqualTo(ConsumerLoopStatus.State.POLLING);
  }

  @Test
  void aKafkaErrorEndsTheLoopByThrowingItAfterClosingTheConsumer() {
    produce(P0, 0);
    loop.pollOnce();
    consumer.setPollException(new KafkaException("the cluster said no"));

    assertThatThrownBy(loop::run).isInstanceOf(KafkaException.class);

    assertThat(consumer.closed()).isTrue();
    assertThat(consumer.lastCommitted(P0)).as("nothing finished, nothing committed").isNull();
  }
}
