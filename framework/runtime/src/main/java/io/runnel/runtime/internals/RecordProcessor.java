package io.runnel.runtime.internals;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.runnel.runtime.internals.DeadLetterPublisher.Stage;
import io.runnel.support.FunctionDescriptor;
import io.runnel.support.FunctionShape;
import io.runnel.support.RecordTracing;
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
 *
 * <p>Each record is handled in its own {@code process} span, a child of the trace context it
 * carries, current on the handler's thread together with the record's {@link RecordLogContext}; its
 * outputs, retry record and dead letter carry that span's context, written into each record here
 * because the producer sends from another thread.
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
  private final RecordMeters meters;
  private final RecordTracing tracing;
  private final StateStores state;

  RecordProcessor(
      FunctionDescriptor function,
      RecordDecoder decoder,
      Object bean,
      OutputProducer producer,
      DeadLetterPublisher deadLetters,
      RetryTopics retryTopics,
      InvocationWatchdog watchdog,
      KeyOrderedDispatcher dispatcher,
      RecordMeters meters,
      RecordTracing tracing,
      StateStores state) {
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
    this.metrics = meters.metrics();
    this.meters = meters;
    this.tracing = tracing;
    this.state = state;
  }

  /**
   * Queues the records of one poll of one partition: each behind the earlier records of its
   * ordering key, or all as one invocation for a batch function.
   */
  void submitPolled(List<RecordWork> polled) {
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
    submitPolled(List.of(work)); // a batch function's record, again as a batch (of one)
  }

  private void process(RecordWork work) {
    Context trace = tracing.startProcessing(function.group(), work.record());
    try (Scope current = trace.makeCurrent();
        RecordLogContext log = RecordLogContext.open(function.name(), work.record(), trace)) {
      processTraced(work, trace);
    } finally {
      Span.fromContext(trace).end();
    }
  }

  private void processTraced(RecordWork work, Context trace) {
    Object event;
    try {
      event = decoder.decode(work.record());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return; // shutting down: left unfinished, handled again after a restart
    } catch (RuntimeException e) {
      deadLetter(work, trace, Stage.DECODE, e, 0);
      work.handled();
      return;
    }
    RecordEventContext[] lastAttempt = new RecordEventContext[1];
    Invocation.Outcome outcome =
        invoke(
            () -> {
              RecordEventContext context =
                  new RecordEventContext(
                      function.name(),
                      work,
                      producer,
                      meters.usage(),
                      tracing,
                      trace,
                      state.forRecord(work.record()));
              lastAttempt[0] = context;
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
    if (outcome.succeeded()) {
      // After the invocation, not in its attempt: an attempt the watchdog timed out after its
      // handler returned is tried again, and must not have written.
      try {
        lastAttempt[0].flushState();
      } catch (RuntimeException e) {
        outcome = new Invocation.Outcome(e, outcome.attempts(), false);
      }
    }
    finish(List.of(work), List.of(trace), outcome);
  }

  /**
   * A batch runs with its first record's span and log context current; each record's retry or dead
   * letter carries its own span's context.
   */
  private void processBatch(List<RecordWork> batch) {
    List<Context> traces = new ArrayList<>(batch.size());
    for (RecordWork work : batch) {
      traces.add(tracing.startProcessing(function.group(), work.record()));
    }
    Context first = traces.get(0);
    try (Scope current = first.makeCurrent();
        RecordLogContext log =
            RecordLogContext.open(function.name(), batch.get(0).record(), first)) {
      processBatchTraced(batch, traces);
    } finally {
      traces.forEach(trace -> Span.fromContext(trace).end());
    }
  }

  private void processBatchTraced(List<RecordWork> batch, List<Context> traces) {
    List<Object> events = new ArrayList<>(batch.size());
    List<RecordWork> decoded = new ArrayList<>(batch.size());
    List<Context> decodedTraces = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      RecordWork work = batch.get(i);
      Context trace = traces.get(i);
      try {
        events.add(decoder.decode(work.record()));
        decoded.add(work);
        decodedTraces.add(trace);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // shutting down: the batch is left unfinished and handled again after a restart
      } catch (RuntimeException e) {
        deadLetter(work, trace, Stage.DECODE, e, 0);
        work.handled();
      }
    }
    if (!decoded.isEmpty()) {
      List<Object> argument = List.copyOf(events);
      finish(decoded, decodedTraces, invoke(() -> function.method().invoke(bean, argument)));
    }
  }

  /** Moves a failed record to its next retry topic, or to the dead-letter topic after the last. */
  private void retryLaterOrDeadLetter(RecordWork work, Context trace, Invocation.Outcome outcome) {
    ProducerRecord<byte[], byte[]> retry = retryTopics.nextRetry(work.record(), outcome.failure());
    if (retry == null) {
      deadLetter(work, trace, Stage.INVOKE, outcome.failure(), outcome.attempts());
    } else {
      metrics.retried(1);
      Span.fromContext(trace).setStatus(StatusCode.ERROR, outcome.failure().toString());
      tracing.inject(trace, retry.headers());
      producer.send(retry, work);
    }
  }

  private void deadLetter(
      RecordWork work, Context trace, Stage stage, Throwable failure, int attempts) {
    metrics.deadLettered(stage);
    Span.fromContext(trace).setStatus(StatusCode.ERROR, failure.toString());
    deadLetters.publish(function, work, trace, stage, failure, attempts);
  }

  /**
   * Runs an invocation, with its retries, and counts it unless it was abandoned; the time each
   * attempt runs counts as busy time (the pauses between attempts do not).
   */
  private Invocation.Outcome invoke(Invocation.Attempt attempt) {
    meters.started();
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
                  busyNanos[0] += System.nanoTime() - attemptStart;
                }
              });
    } catch (RuntimeException | Error e) {
      meters.abandoned(); // not one the invocation handles (an OutOfMemoryError): not in flight
      throw e;
    }
    if (outcome.abandoned()) {
      meters.abandoned();
    } else {
      meters.ended(outcome, System.nanoTime() - start, busyNanos[0]);
    }
    return outcome;
  }

  /** {@code traces}: the trace context of each of {@code works}, in the same order. */
  private void finish(List<RecordWork> works, List<Context> traces, Invocation.Outcome outcome) {
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
      for (int i = 0; i < works.size(); i++) {
        if (outcome.failure() instanceof StateAccessException state) {
          deadLetter(works.get(i), traces.get(i), state.stage(), state, outcome.attempts());
        } else {
          retryLaterOrDeadLetter(works.get(i), traces.get(i), outcome);
        }
      }
    }
    works.forEach(RecordWork::handled);
  }
}
