package io.runnel.benchmarks;

import org.apache.kafka.clients.consumer.ConsumerRecords;

/** The plain kafka-clients loop: records one after another on the poll thread. */
final class RawLoopContender extends PollLoopContender {

  private final String name;

  RawLoopContender(String name) {
    this.name = name;
  }

  /** Workload A's loop: flush the producer and commit after each poll. */
  static RawLoopContender flushAndCommitPerPoll() {
    return new RawLoopContender("kafka-clients loop (flush, commit per poll)");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  void handlePoll(ConsumerRecords<byte[], byte[]> records, Step step) {
    records.forEach(step::handle);
  }
}
