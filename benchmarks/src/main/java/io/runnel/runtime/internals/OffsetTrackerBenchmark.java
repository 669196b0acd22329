package io.runnel.runtime.internals;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The cost per record of offset tracking: take a poll's worth of records, finish them out of order
 * (odd offsets first), then compute the committable offset. Lives in the runtime's package to reach
 * its internals; users never do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OffsetTrackerBenchmark {

  static final int POLL = 500;
  long nextOffset;

  @Benchmark
  @OperationsPerInvocation(POLL)
  public long takeFinishOutOfOrderAndCommit() {
    OffsetTracker tracker = new OffsetTracker();
    RecordWork[] works = new RecordWork[POLL];
    for (int i = 0; i < POLL; i++) {
      works[i] =
          new RecordWork(
              new ConsumerRecord<>("t", 0, nextOffset++, null, null),
              (work, failure) -> {},
              FunctionMetrics.NONE);
      tracker.taken(works[i]);
    }
    for (int i = 1; i < POLL; i += 2) {
      works[i].handled();
    }
    for (int i = 0; i < POLL; i += 2) {
      works[i].handled();
    }
    return tracker.committable().orElseThrow();
  }
}
