package io.runnel.runtime.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class TransactionalCommitsTest {

  static final TopicPartition P0 = new TopicPartition("in", 0);

  final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  final MockProducer<byte[], byte[]> kafka =
      new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
  final TransactionalProducer producer = new TransactionalProducer(kafka, null);

  PartitionOffsets offsets = new PartitionOffsets("f", Duration.ofMinutes(1));
  TransactionalCommits commits =
      new TransactionalCommits("f", consumer, offsets, producer, AssignedState.NONE);

  TransactionalCommitsTest() {
    consumer.assign(List.of(P0));
    consumer.updateBeginningOffsets(Map.of(P0, 0L));
  }

  RecordWork take(long offset) {
    RecordWork work =
        new RecordWork(
            new ConsumerRecord<>(P0.topic(), P0.partition(), offset, null, null),
            commits::abortAtNextCommit,
            FunctionMetrics.NONE);
    offsets.taken(P0, work);
    return work;
  }

  void emit(RecordWork work) {
    producer.send(new ProducerRecord<>("out", "v".getBytes()), work);
  }

  @Test
  void finishedRecordsCommitTheirOutputsAndOffsetsInOneTransaction() {
    RecordWork first = take(0);
    RecordWork second = take(1);
    emit(first);
    emit(second);
    first.handled();
    second.handled();
    kafka.completeNext();
    kafka.completeNext();

    commits.commit();

    assertThat(kafka.commitCount()).isEqualTo(1);
    assertThat(kafka.history()).hasSize(2);
    assertThat(kafka.consumerGroupOffsetsHistory())
        .containsExactly(Map.of("dummy.group.id", Map.of(P0, new OffsetAndMetadata(2))));
    assertThat(kafka.transactionInFlight()).isTrue();
  }

  @Test
  void aLostOutputAbortsTheTransactionAndRewindsToTheLastCommit() {
    consumer.commitSync(Map.of(P0, new OffsetAndMetadata(5)));
    RecordWork kept = take(5);
    RecordWork lost = take(6);
    emit(kept);
    emit(lost);
    kept.handled();
    lost.handled();
    kafka.completeNext();
    kafka.errorNext(new TimeoutException("not acknowledged"));

    commits.commit();

    assertThat(kafka.commitCount()).isZero();
    assertThat(kafka.history()).isEmpty();
    assertThat(kafka.uncommittedRecords()).isEmpty();
    assertThat(kafka.transactionInFlight()).isTrue();
    assertThat(consumer.position(P0)).isEqualTo(5);
    assertThat(offsets.partitions()).isEmpty();
  }

  @Test
  void recordsStillRunningAtTheDrainTimeoutAbortAndRewindToTheBeginning() {
    offsets = new PartitionOffsets("f", Duration.ZERO);
    commits = new TransactionalCommits("f", consumer, offsets, producer, AssignedState.NONE);
    consumer.seek(P0, 3);
    take(3).handled();
    take(4); // still running

    commits.commit();

    assertThat(kafka.commitCount()).isZero();
    assertThat(consumer.position(P0)).isZero();
    assertThat(offsets.partitions()).isEmpty();
  }

  @Test
  void afterAnAbortTheNextCommitSucceeds() {
    RecordWork lost = take(0);
    emit(lost);
    lost.handled();
    kafka.errorNext(new TimeoutException("not acknowledged"));
    commits.commit();

    take(0).handled();
    commits.commit();

    assertThat(kafka.commitCount()).isEqualTo(1);
    assertThat(kafka.consumerGroupOffsetsHistory())
        .containsExactly(Map.of("dummy.group.id", Map.of(P0, new OffsetAndMetadata(1))));
  }
}
