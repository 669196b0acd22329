package io.runnel.runtime.internals;

import io.runnel.runtime.internals.DeadLetterPublisher.Stage;
import io.runnel.support.FunctionDescriptor;
import io.runnel.support.FunctionShape;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a record once taken: on its own virtual thread (in key order) it is decoded, the
 * handler invoked with retries and a timeout, the result emitted; a record that cannot be decoded
 * or keeps failing is dead-lettered instead. Either way the partition moves on.
 */
final class RecordProcessor {

  private static final Logger LOG = LoggerFactory.getLogger(RecordProcessor.class);

  private final FunctionDescriptor function;
  private final RecordDecoder decoder;
  private final Object bean;
  private final OutputProducer producer;
  private final DeadLetterPublisher deadLetters;
  private final RetryTopics retryTopics;
  private final Invocation invocation;
  private final KeyOrderedDispatcher dispatcher;
  private final FunctionMetrics metrics;
  private final UsageMeter usage;

  RecordProcessor(
      FunctionDescriptor function,
      RecordDecoder decoder,
      Object bean,
      OutputProducer producer,
      DeadLetterPublisher deadLetters,
      RetryTopics retryTopics,
      InvocationWatchdog watchdog,
      KeyOrderedDispatcher dispatcher,
      FunctionMetrics metrics,
      UsageMeter usage) {
    this.function = function;
    this.decoder = decoder;
    this.bean = bean;
    this.producer = producer;
    this.deadLetters = deadLetters;
    this.retryTopics = retryTopics;
    this.invocation =
        new Invocation(
            function.retryPolicy(), function.timeoutMs(), watchdog, dispatcher::sleepWithoutPermit);
    this.dispatcher = dispatcher;
    this.metrics = metrics;
    this.usage = usage;
  }

  /**
   * Queues the records of one poll of one partition: each behind the earlier records of its
   * ordering key, or all as one invocation for a batch function.
   */
  void submitPolled(List<RecordWork> polled) {
    usage.taken(polled);
    dispatch(polled);
  }

  private void dispatch(List<RecordWork> polled) {
    if (function.shape() == FunctionShape.BATCH) {
      submitBatch(polled);
    } else {
      polled.forEach(this::submit);
    }
  }

  /** Queues one record behind the earlier records of its ordering key. */
  private void submit(RecordWork work) {
    dispatcher.dispatch(
        dispatcher.orderingKey(work.record()),
        RetryTopics.dueAt(work.record()),
        () -> process(work));
  }

  /** Queues the records of one poll of one partition as a single batch invocation. */
  private void submitBatch(List<RecordWork> batch) {
    // Batches of a partition keep their order whatever the ordering mode: a batch spans many keys.
    ConsumerRecord<byte[], byte[]> first = batch.get(0).record();
    dispatcher.dispatch(
        new TopicPartition(first.topic(), first.partition()), () -> processBatch(batch));
  }

  /**
   * At-least-once: an output of {@code work} was not acknowledged and may be lost, so the record is
   * handled again. Its {@link RecordWork.SendFailures}.
   */
  void handleAgain(RecordWork work, Exception sendFailure) {
    LOG.warn(
        "Function {}: an output of {}-{}@{} was not acknowledged ({}); handling the record again",
        function.name(),
        work.record().topic(),
        work.record().partition(),
        work.offset(),
        sendFailure.toString());
    dispatch(List.of(work)); // a batch function's record, again as a batch (of one)
  }

  private void process(RecordWork work) {
    Object event;
    try {
      event = decoder.decode(work.record());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return; // shutting down: left unfinished, handled again after a restart
    } catch (RuntimeException e) {
      deadLetter(work, Stage.DECODE, e, 0);
      work.handled();
      return;
    }
    Invocation.Outcome outcome =
        invoke(
            () -> {
              RecordEventContext context =
                  new RecordEventContext(function.name(), work, producer, usage);
              Object result =
                  function.shape() == FunctionShape.SINGLE_WITH_CONTEXT
                      ? function.method().invoke(bean, event, context)
                      : function.method().invoke(bean, event);
              if (result != null) {
                if (function.outputTopic() != null) {
                  context.emit(function.outputTopic(), result);
                }
                context.replyIfRequested(result);
              }
            });
    finish(List.of(work), outcome);
  }

  private void processBatch(List<RecordWork> batch) {
    List<Object> events = new ArrayList<>(batch.size());
    List<RecordWork> decoded = new ArrayList<>(batch.size());
    for (RecordWork work : batch) {
      try {
        events.add(decoder.decode(work.record()));
        decoded.add(work);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // shutting down: the batch is left unfinished and handled again after a restart
      } catch (RuntimeException e) {
        deadLetter(work, Stage.DECODE, e, 0);
        work.handled();
      }
    }
    if (!decoded.isEmpty()) {
      List<Object> argument = List.copyOf(events);
      finish(decoded, invoke(() -> function.method().invoke(bean, argument)));
    }
  }

  /** Moves a failed record to its next retry topic, or to the dead-letter topic after the last. */
  private void retryLaterOrDeadLetter(RecordWork work, Invocation.Outcome outcome) {
    ProducerRecord<byte[], byte[]> retry = retryTopics.nextRetry(work.record(), outcome.failure());
    if (retry == null) {
      deadLetter(work, Stage.INVOKE, outcome.failure(), outcome.attempts());
    } else {
      metrics.retried(1);
      producer.send(retry, work);
    }
  }

  private void deadLetter(RecordWork work, Stage stage, Throwable failure, int attempts) {
    metrics.deadLettered(stage);
    deadLetters.publish(function, work, stage, failure, attempts);
  }

  /**
   * Runs an invocation, with its retries, and counts it unless it was abandoned; the time each
   * attempt runs counts as busy time (the pauses between attempts do not).
   */
  private Invocation.Outcome invoke(Invocation.Attempt attempt) {
    metrics.inFlight(1);
    long start = System.nanoTime();
    long[] busyNanos = {0}; // the handler's time, without the pauses between attempts
    Invocation.Outcome outcome;
    try {
      outcome =
          invocation.run(
              () -> {
                long attemptStart = System.nanoTime();
                try {
                  attempt.run();
                } finally {
                  long busy = System.nanoTime() - attemptStart;
                  busyNanos[0] += busy;
                  metrics.busy(busy);
                }
              });
    } finally {
      metrics.inFlight(-1);
    }
    if (!outcome.abandoned()) {
      metrics.invoked(outcome, System.nanoTime() - start);
      metrics.retried(outcome.attempts() - 1);
      usage.invoked(!outcome.succeeded(), busyNanos[0]);
    }
    return outcome;
  }

  private void finish(List<RecordWork> works, Invocation.Outcome outcome) {
    if (outcome.abandoned()) {
      return; // shutting down: left unfinished, so never committed, and handled again after a
      // restart
    }
    if (!outcome.succeeded()) {
      RecordWork first = works.get(0);
      LOG.warn(
          "Function {} failed on {}-{}@{} ({} records) after {} attempts: {}",
          function.name(),
          first.record().topic(),
          first.record().partition(),
          first.offset(),
          works.size(),
          outcome.attempts(),
          outcome.failure().toString());
      for (RecordWork work : works) {
        retryLaterOrDeadLetter(work, outcome);
      }
    }
    works.forEach(RecordWork::handled);
  }
}
