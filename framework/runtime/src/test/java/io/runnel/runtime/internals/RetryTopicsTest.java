package io.runnel.runtime.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RetryTopicsTest {

  final RetryTopics retryTopics = new RetryTopics(List.of(60_000L, 600_000L));

  static ConsumerRecord<byte[], byte[]> polledFrom(ProducerRecord<byte[], byte[]> sent) {
    return new ConsumerRecord<>(
        sent.topic(),
        0,
        7,
        0,
        TimestampType.CREATE_TIME,
        0,
        0,
        sent.key(),
        sent.value(),
        sent.headers(),
        Optional.empty());
  }

  @Test
  void aFunctionSubscribesToItsInputsAndTheirRetryTopics() {
    assertThat(retryTopics.subscribedTopics(List.of("orders", "refunds")))
        .containsExactly(
            "orders",
            "refunds",
            "orders.retry.1",
            "orders.retry.2",
            "refunds.retry.1",
            "refunds.retry.2");
  }

  @Test
  void aFailedRecordMovesThroughEachRetryTopicThenToNone() {
    long before = System.currentTimeMillis();
    ConsumerRecord<byte[], byte[]> input =
        new ConsumerRecord<>("orders", 3, 42, "k".getBytes(), "v".getBytes());

    ProducerRecord<byte[], byte[]> first =
        retryTopics.nextRetry(input, new IllegalStateException("down"));
    assertThat(first.topic()).isEqualTo("orders.retry.1");
    assertThat(first.key()).isEqualTo("k".getBytes());
    assertThat(first.value()).isEqualTo("v".getBytes());
    assertThat(HeaderText.get(first.headers(), RetryTopics.LEVEL)).isEqualTo("1");
    assertThat(HeaderText.get(first.headers(), RetryTopics.ORIGINAL_TOPIC)).isEqualTo("orders");
    assertThat(HeaderText.get(first.headers(), RetryTopics.LAST_EXCEPTION))
        .isEqualTo("java.lang.IllegalStateException: down");
    ConsumerRecord<byte[], byte[]> firstRetry = polledFrom(first);
    assertThat(RetryTopics.dueAt(firstRetry)).isGreaterThanOrEqualTo(before + 60_000);
    assertThat(RetryTopics.originalTopic(firstRetry)).isEqualTo("orders");

    ProducerRecord<byte[], byte[]> second =
        retryTopics.nextRetry(firstRetry, new IllegalStateException("still down"));
    assertThat(second.topic()).isEqualTo("orders.retry.2");
    assertThat(HeaderText.get(second.headers(), RetryTopics.LEVEL)).isEqualTo("2");
    ConsumerRecord<byte[], byte[]> secondRetry = polledFrom(second);
    assertThat(RetryTopics.dueAt(secondRetry)).isGreaterThanOrEqualTo(before + 600_000);
    assertThat(RetryTopics.originalTopic(secondRetry)).isEqualTo("orders");

    assertThat(retryTopics.nextRetry(secondRetry, new IllegalStateException("gone"))).isNull();
  }

  @Test
  void withoutRetryTopicsAFailedRecordHasNoNextRetry() {
    RetryTopics none = new RetryTopics(List.of());
    ConsumerRecord<byte[], byte[]> input = new ConsumerRecord<>("orders", 0, 0, null, null);

    assertThat(none.subscribedTopics(List.of("orders"))).containsExactly("orders");
    assertThat(none.nextRetry(input, new IllegalStateException())).isNull();
    assertThat(RetryTopics.dueAt(input)).isZero();
    assertThat(RetryTopics.originalTopic(input)).isEqualTo("orders");
  }
}
