package io.runnel.runtime.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.runtime.internals.ConsumerLoopStatus.State;
import io.runnel.test.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A consumer that stops on an error is replaced by a new one, which reads on. */
class ConsumerLoopSupervisorTest {

  static final TopicPartition P0 = new TopicPartition("t", 0);
  static final Duration WAIT = Duration.ofSeconds(60);

  final ConsumerLoopStatus status = new ConsumerLoopStatus("f");
  final List<CommitRecordingConsumer> consumers = new CopyOnWriteArrayList<>();
  final List<RecordWork> handed = new CopyOnWriteArrayList<>();
  final AtomicInteger closed = new AtomicInteger();
  final AtomicInteger builds = new AtomicInteger();
  Thread thread;

  /** A loop on a new consumer holding {@code P0} with one record at offset 0 not committed. */
  ConsumerLoopSupervisor.Run newRun() {
    builds.incrementAndGet();
    CommitRecordingConsumer consumer = new CommitRecordingConsumer();
    consumer.updateBeginningOffsets(Map.of(P0, 0L));
    PartitionOffsets offsets = new PartitionOffsets("f", Duration.ZERO);
    ConsumerLoop loop = ConsumerLoopTest.newLoop(consumer, offsets, handed, status, 100);
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(P0));
          consumer.addRecord(new ConsumerRecord<>("t", 0, 0L, null, null));
        });
    consumers.add(consumer);
    return new ConsumerLoopSupervisor.Run(loop, new ArrayList<>(List.of(closed::incrementAndGet)));
  }

  ConsumerLoopSupervisor start(ConsumerLoopSupervisor.Run first) {
    ConsumerLoopSupervisor supervisor =
        new ConsumerLoopSupervisor(
            "f",
            first,
            this::newRun,
            new RestartBackoff(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofDays(1)),
            status);
    thread = Thread.ofPlatform().start(supervisor);
    return supervisor;
  }

  @AfterEach
  void joinThread() throws InterruptedException {
    thread.join(WAIT.toMillis());
  }

  @Test
  void aFailedConsumerIsReplacedAndItsRecordsNotCommittedAreHandledAgain() {
    ConsumerLoopSupervisor.Run first = newRun();
    ConsumerLoopSupervisor supervisor = start(first);
    Await.until("the first record handed over", WAIT, () -> handed.size() == 1);

    consumers.getFirst().setPollException(new KafkaException("fenced"));

    Await.until("a second consumer polling", WAIT, () -> handed.size() == 2);
    assertThat(status.state()).isEqualTo(State.POLLING);
    assertThat(consumers.getFirst().closed()).isTrue();
    assertThat(closed).as("the first run's closers ran").hasValue(1);
    assertThat(status.componentStatus().read().counter("restarts")).isEqualTo(1);
    assertThat(handed).extracting(RecordWork::offset).containsExactly(0L, 0L);

    supervisor.stop();
    Await.until("stopped", WAIT, () -> status.state() == State.STOPPED);
    assertThat(builds).hasValue(2);
    assertThat(closed).hasValue(2);
  }

  @Test
  void aConsumerThatCannotBeBuiltIsTriedAgain() {
    ConsumerLoopSupervisor.Run first = newRun();
    AtomicInteger failuresToBuild = new AtomicInteger(2);
    ConsumerLoopSupervisor supervisor =
        new ConsumerLoopSupervisor(
            "f",
            first,
            () -> {
              if (failuresToBuild.getAndDecrement() > 0) {
                throw new KafkaException("no cluster");
              }
              return newRun();
            },
            new RestartBackoff(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofDays(1)),
            status);
    thread = Thread.ofPlatform().start(supervisor);
    Await.until("the first record handed over", WAIT, () -> handed.size() == 1);

    consumers.getFirst().setPollException(new KafkaException("broken"));

    Await.until("a new consumer polling", WAIT, () -> handed.size() == 2);
    assertThat(status.componentStatus().read().counter("restarts")).isEqualTo(3);
    supervisor.stop();
  }

  @Test
  void aStoppedConsumerIsNotRestarted() {
    ConsumerLoopSupervisor supervisor = start(newRun());
    Await.until("polling", WAIT, () -> status.state() == State.POLLING);

    supervisor.stop();

    Await.until("stopped", WAIT, () -> status.state() == State.STOPPED);
    assertThat(builds).hasValue(1);
    assertThat(closed).hasValue(1);
  }
}
