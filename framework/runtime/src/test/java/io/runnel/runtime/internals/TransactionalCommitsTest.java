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

  TransactionalCommitsTest() {
    consumer.assign(List.of(P0));
    consumer.updateBeginningOffsets(Map.of(P0, 0L));
  }

  static RecordWork take(PartitionOffsets offsets, TransactionalCommits commits, long offset) {
    RecordWork work =
        new RecordWork(
            new ConsumerRecord<>(P0.topic(), P0.partition(), offset, null, null),
            commits::abortAtNextCommit);
    offsets.taken(P0, work);
    return work;
  }

  static void emit(TransactionalProducer producer, RecordWork work) {
    producer.send(new ProducerRecord<>("out", "v".getBytes()), work);
  }

  @Test
  void finishedRecordsCommitTheirOutputsAndOffsetsInOneTransaction() {
    PartitionOffsets offsets = new PartitionOffsets("f", Duration.ofMinutes(1));
    TransactionalCommits commits = new TransactionalCommits("f", consumer, offsets, producer);
    RecordWork first = take(offsets, commits, 0);
    RecordWork second = take(offsets, commits, 1);
    emit(producer, first);
    emit(producer, second);
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
    PartitionOffsets offsets = new PartitionOffsets("f", Duration.ofMinutes(1));
    TransactionalCommits commits = new TransactionalCommits("f", consumer, offsets, producer);
    RecordWork kept = take(offsets, commits, 5);
    RecordWork lost = take(offsets, commits, 6);
    emit(producer, kept);
    emit(producer, lost);
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
    PartitionOffsets offsets = new PartitionOffsets("f", Duration.ZERO);
    TransactionalCommits commits = new TransactionalCommits("f", consumer, offsets, producer);
    consumer.seek(P0, 3);
    take(offsets, commits, 3).handled();
    take(offsets, commits, 4); // still running

    commits.commit();

    assertThat(kafka.commitCount()).isZero();
    assertThat(consumer.position(P0)).isZero();
    assertThat(offsets.partitions()).isEmpty();
  }

  @Test
  void afterAnAbortTheNextCommitSucceeds() {
    PartitionOffsets offsets = new PartitionOffsets("f", Duration.ofMinutes(1));
    TransactionalCommits commits = new TransactionalCommits("f", consumer, offsets, producer);
    RecordWork lost = take(offsets, commits, 0);
    emit(producer, lost);
    lost.handled();
    kafka.errorNext(new TimeoutException("not acknowledged"));
    commits.commit();

    take(offsets, commits, 0).handled();
    commits.commit();

    assertThat(kafka.commitCount()).isEqualTo(1);
    assertThat(kafka.consumerGroupOffsetsHistory())
        .containsExactly(Map.of("dummy.group.id", Map.of(P0, new OffsetAndMetadata(1))));
  }
}
