package io.runnel.runtime.internals;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;

/**
 * One record's life: taken from the consumer, handled, and finished once the handler is done and
 * Kafka acknowledged everything it emitted (outputs or its dead letter).
 *
 * <p>A count of outstanding parts starts at 1 for the handling itself; each send adds one and its
 * acknowledgement removes it. When a send fails, its outputs may be lost: the record goes to its
 * {@link SendFailures}, which say what the delivery guarantee does about it.
 */
final class RecordWork {

  /**
   * What happens to a record when Kafka did not acknowledge one of its outputs: at-least-once
   * handles it again ({@link RecordProcessor#handleAgain}), exactly-once aborts the open
   * transaction ({@link TransactionalCommits#abortAtNextCommit}).
   */
  interface SendFailures {
    void sendFailed(RecordWork work, Exception sendFailure);
  }

  private final ConsumerRecord<byte[], byte[]> record;
  private final SendFailures sendFailures;
  private final FunctionMetrics metrics;
  private final AtomicInteger outstanding = new AtomicInteger(1);
  private volatile Exception sendFailure;
  private volatile boolean finished;

  /** {@code metrics} count the bytes of what it sends. */
  RecordWork(
      ConsumerRecord<byte[], byte[]> record, SendFailures sendFailures, FunctionMetrics metrics) {
    this.record = record;
    this.sendFailures = sendFailures;
    this.metrics = metrics;
  }

  ConsumerRecord<byte[], byte[]> record() {
    return record;
  }

  long offset() {
    return record.offset();
  }

  boolean isFinished() {
    return finished;
  }

  /**
   * Registers one more send to wait for; the callback is passed to the producer. Its bytes count as
   * sent once Kafka acknowledged them.
   */
  Callback expectAck() {
    outstanding.incrementAndGet();
    return (metadata, exception) -> {
      if (exception != null) {
        sendFailure = exception;
      } else if (metadata != null) { // null when the send never reached the producer
        metrics.bytesOut(
            Math.max(0, metadata.serializedKeySize())
                + Math.max(0, metadata.serializedValueSize()));
      }
      release();
    };
  }

  /**
   * Marks the handling itself done; the record finishes once all its sends are acknowledged too.
   */
  void handled() {
    release();
  }

  private void release() {
    if (outstanding.decrementAndGet() > 0) {
      return;
    }
    Exception failure = sendFailure;
    if (failure == null) {
      finished = true;
    } else {
      sendFailure = null;
      outstanding.set(1);
      sendFailures.sendFailed(this, failure);
    }
  }
}
