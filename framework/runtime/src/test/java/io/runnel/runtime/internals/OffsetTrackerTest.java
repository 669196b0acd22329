package io.runnel.runtime.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

  final OffsetTracker tracker = new OffsetTracker();
  final List<RecordWork> redone = new ArrayList<>();

  RecordWork take(long offset) {
    RecordWork work =
        new RecordWork(
            new ConsumerRecord<>("t", 0, offset, null, new byte[0]),
            (w, e) -> redone.add(w),
            FunctionMetrics.NONE);
    tracker.taken(work);
    return work;
  }

  @Test
  void nothingIsCommittableBeforeTheFirstRecordFinishes() {
    take(0);
    take(1);
    assertThat(tracker.committable()).isEmpty();
    assertThat(tracker.buffered()).isEqualTo(2);
  }

  @Test
  void onlyTheFinishedPrefixIsCommittable() {
    RecordWork first = take(10);
    RecordWork second = take(11);
    RecordWork third = take(12);
    third.handled();
    second.handled();
    // 11 and 12 are finished, but 10 is not: committing past it could lose it.
    assertThat(tracker.committable()).isEmpty();
    assertThat(tracker.buffered()).isEqualTo(3);

    first.handled();
    assertThat(tracker.committable()).isEqualTo(OptionalLong.of(13));
    assertThat(tracker.buffered()).isZero();
    assertThat(tracker.drained()).isTrue();
  }

  @Test
  void gapsInOffsetsAreCommittedPast() {
    // Compaction and transaction markers leave gaps: the next offset to read is after the last
    // record.
    take(3).handled();
    take(7).handled();
    assertThat(tracker.committable()).isEqualTo(OptionalLong.of(8));
  }

  @Test
  void aCommittedOffsetIsNotOfferedAgainUntilMoreFinish() {
    take(0).handled();
    assertThat(tracker.committable()).isEqualTo(OptionalLong.of(1));
    tracker.committed(1);
    assertThat(tracker.committable()).isEmpty();
    take(1).handled();
    assertThat(tracker.committable()).isEqualTo(OptionalLong.of(2));
  }

  @Test
  void aRecordWaitsForTheAcknowledgementOfEverythingItSent() {
    RecordWork work = take(0);
    var firstAck = work.expectAck();
    var secondAck = work.expectAck();
    work.handled();
    firstAck.onCompletion(null, null);
    assertThat(tracker.committable()).isEmpty();
    secondAck.onCompletion(null, null);
    assertThat(tracker.committable()).isEqualTo(OptionalLong.of(1));
  }

  @Test
  void aFailedSendHandsTheRecordBackInsteadOfFinishingIt() {
    RecordWork work = take(0);
    var ack = work.expectAck();
    work.handled();
    ack.onCompletion(null, new org.apache.kafka.common.errors.TimeoutException("broker gone"));
    assertThat(redone).containsExactly(work);
    assertThat(tracker.committable()).isEmpty();

    // Handled again, this time acknowledged.
    var retriedAck = work.expectAck();
    work.handled();
    retriedAck.onCompletion(null, null);
    assertThat(tracker.committable()).isEqualTo(OptionalLong.of(1));
  }
}
