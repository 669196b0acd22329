package io.runnel.runtime.internals;

import io.runnel.runtime.internals.DeadLetterPublisher.Stage;
import io.runnel.support.FunctionDescriptor;
import io.runnel.support.FunctionShape;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a record once taken: on its own virtual thread (in key order) it is decoded, the
 * handler invoked with retries and a timeout, the result emitted; a record that cannot be decoded
 * or keeps failing is dead-lettered instead. Either way the partition moves on.
 */
final class RecordProcessor implements RecordWork.Redo {

  private static final Logger LOG = LoggerFactory.getLogger(RecordProcessor.class);

  private final FunctionDescriptor function;
  private final RecordDecoder decoder;
  private final Object bean;
  private final OutputProducer producer;
  private final DeadLetterPublisher deadLetters;
  private final Invocation invocation;
  private final KeyOrderedDispatcher dispatcher;

  RecordProcessor(
      FunctionDescriptor function,
      RecordDecoder decoder,
      Object bean,
      OutputProducer producer,
      DeadLetterPublisher deadLetters,
      InvocationWatchdog watchdog,
      KeyOrderedDispatcher dispatcher) {
    this.function = function;
    this.decoder = decoder;
    this.bean = bean;
    this.producer = producer;
    this.deadLetters = deadLetters;
    this.invocation =
        new Invocation(
            function.retryPolicy(), function.timeoutMs(), watchdog, dispatcher::sleepWithoutPermit);
    this.dispatcher = dispatcher;
  }

  /** Queues one record behind the earlier records of its ordering key. */
  void submit(RecordWork work) {
    dispatcher.dispatch(
        dispatcher.orderingKey(work.record()),
        RetryTopics.dueAt(work.record()),
        () -> process(work));
  }

  /** Queues the records of one poll of one partition as a single batch invocation. */
  void submitBatch(List<RecordWork> batch) {
    // Batches of a partition keep their order whatever the ordering mode: a batch spans many keys.
    ConsumerRecord<byte[], byte[]> first = batch.get(0).record();
    dispatcher.dispatch(
        new TopicPartition(first.topic(), first.partition()), () -> processBatch(batch));
  }

  @Override
  public void redo(RecordWork work, Exception sendFailure) {
    LOG.warn(
        "Function {}: an output of {}-{}@{} was not acknowledged ({}); handling the record again",
        function.name(),
        work.record().topic(),
        work.record().partition(),
        work.offset(),
        sendFailure.toString());
    submit(work);
  }

  private void process(RecordWork work) {
    Object event;
    try {
      event = decoder.decode(work.record());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return; // shutting down: left unfinished, handled again after a restart
    } catch (RuntimeException e) {
      deadLetters.publish(function, work, Stage.DECODE, e, 0);
      work.handled();
      return;
    }
    Invocation.Outcome outcome =
        invocation.run(
            () -> {
              RecordEventContext context = new RecordEventContext(function.name(), work, producer);
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
        deadLetters.publish(function, work, Stage.DECODE, e, 0);
        work.handled();
      }
    }
    if (!decoded.isEmpty()) {
      List<Object> argument = List.copyOf(events);
      finish(decoded, invocation.run(() -> function.method().invoke(bean, argument)));
    }
  }

  /** Moves a failed record to its next retry topic, or to the dead-letter topic after the last. */
  private void retryLaterOrDeadLetter(RecordWork work, Invocation.Outcome outcome) {
    int next = RetryTopics.level(work.record()) + 1;
    if (next > function.retryTopicDelaysMs().size()) {
      deadLetters.publish(function, work, Stage.INVOKE, outcome.failure(), outcome.attempts());
      return;
    }
    var record = work.record();
    producer.sendRaw(
        RetryTopics.retryTopic(RetryTopics.originalTopic(record), next),
        record.key(),
        record.value(),
        RetryTopics.forRetry(
            record, next, function.retryTopicDelaysMs().get(next - 1), outcome.failure()),
        work);
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
