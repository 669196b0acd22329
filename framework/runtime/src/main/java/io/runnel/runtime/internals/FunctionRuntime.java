package io.runnel.runtime.internals;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.SubjectNameStrategy;
import io.runnel.registry.serde.AvroSerializer;
import io.runnel.runtime.RuntimeSettings;
import io.runnel.support.FunctionDescriptor;
import io.runnel.support.FunctionDescriptors;
import io.runnel.support.InstanceSettings;
import io.runnel.support.KafkaSettings;
import io.runnel.support.SchemaRegistrySettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a {@link ConsumerLoop} for every function once the context has started, after checking the
 * settings, and stops them (letting each finish and commit the records in hand) when it closes.
 */
@Singleton
@Requires(property = "runnel.runtime.enabled", notEquals = "false")
final class FunctionRuntime implements ApplicationEventListener<StartupEvent>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FunctionRuntime.class);

  /**
   * What runs one function; {@code closers} close its record threads (and an exactly-once
   * function's producer) once its loop has ended.
   */
  private record RunningFunction(ConsumerLoop loop, Thread thread, List<Runnable> closers) {}

  private final FunctionDescriptors functions;
  private final KafkaSettings kafka;
  private final SchemaRegistrySettings registry;
  private final RuntimeSettings runtime;
  private final InstanceSettings instance;
  private final BeanContext beans;
  private final MeterRegistry meters;
  private final List<RunningFunction> running = new ArrayList<>();
  private HandOverProducer producer;
  private InvocationWatchdog watchdog;

  FunctionRuntime(
      FunctionDescriptors functions,
      KafkaSettings kafka,
      SchemaRegistrySettings registry,
      RuntimeSettings runtime,
      InstanceSettings instance,
      BeanContext beans,
      @Nullable MeterRegistry meters) {
    this.functions = functions;
    this.kafka = kafka;
    this.registry = registry;
    this.runtime = runtime;
    this.instance = instance;
    this.beans = beans;
    this.meters = meters;
  }

  @Override
  public synchronized void onApplicationEvent(StartupEvent event) {
    List<FunctionDescriptor> enabled = functions.enabled();
    if (enabled.isEmpty()) {
      LOG.info("No @EventFunction beans found: nothing to consume");
      return;
    }
    kafka.validate();
    registry.validate();
    runtime.validate();
    SchemaRegistryClient client = registry.newClient();
    // One serializer for every producer: its schema-id and writer caches are built once.
    AvroSerializer serializer =
        new AvroSerializer(
            client, SubjectNameStrategy.TOPIC_NAME, registry.isAutoRegisterSchemas(), false);
    producer = new HandOverProducer(kafka, serializer);
    watchdog = new InvocationWatchdog("runnel-timeouts");
    for (FunctionDescriptor function : enabled) {
      running.add(start(function, client, serializer));
      LOG.info(
          "Function {} consuming {} as group {} ({} ordering, up to {} at once, {} concurrency)",
          function.name(),
          function.topics(),
          function.group(),
          function.ordering(),
          function.maxConcurrency(),
          function.concurrencyPolicy());
    }
  }

  /**
   * Starts the consumer thread of one function, on the path its delivery guarantee takes (chosen
   * here, once): at-least-once functions send through the shared producer, have the consumer commit
   * their offsets and handle a record again when an output was lost; an exactly-once function sends
   * through its own transactional producer, commits offsets in its transactions and aborts one when
   * an output was lost.
   */
  private RunningFunction start(
      FunctionDescriptor function, SchemaRegistryClient client, AvroSerializer serializer) {
    KafkaConsumer<byte[], byte[]> consumer = newConsumer(function);
    FunctionMetrics metrics = FunctionMetrics.of(meters, function.name());
    PartitionOffsets offsets = new PartitionOffsets(function.name(), runtime.getDrainTimeout());
    RetryTopics retryTopics = new RetryTopics(function.retryTopicDelaysMs());
    ConcurrencyLimiter limiter = ConcurrencyLimiter.of(function);
    metrics.concurrencyLimit(limiter::limit);
    KeyOrderedDispatcher dispatcher =
        new KeyOrderedDispatcher(
            function.ordering(), limiter, "runnel-" + function.name() + "-handler");
    List<Runnable> closers = new ArrayList<>(List.of(dispatcher::close));
    RecordProcessor processor;
    CommitStrategy commits;
    RecordWork.SendFailures sendFailures;
    if (function.exactlyOnce()) {
      // Its own transactional producer: outputs, dead letters and offsets in one transaction.
      TransactionalProducer transactional =
          TransactionalProducer.create(
              kafka, serializer, "runnel-" + function.group() + "-" + instance.getInstanceId());
      closers.add(transactional::close);
      TransactionalCommits transactions =
          new TransactionalCommits(function.name(), consumer, offsets, transactional);
      processor = newProcessor(function, client, dispatcher, retryTopics, transactional, metrics);
      commits = transactions;
      sendFailures = transactions::abortAtNextCommit;
    } else {
      processor = newProcessor(function, client, dispatcher, retryTopics, producer, metrics);
      commits =
          new AsyncOffsetCommits(function.name(), consumer, offsets, runtime.getDrainTimeout());
      sendFailures = processor::handleAgain;
    }
    ConsumerLoop loop =
        new ConsumerLoop(
            function.name(),
            retryTopics.subscribedTopics(function.topics()),
            function.maxBufferedRecords(),
            runtime.getCommitInterval(),
            consumer,
            offsets,
            commits,
            processor::submitPolled,
            sendFailures,
            metrics);
    Thread thread = Thread.ofPlatform().name("runnel-" + function.name()).start(loop);
    return new RunningFunction(loop, thread, closers);
  }

  private RecordProcessor newProcessor(
      FunctionDescriptor function,
      SchemaRegistryClient client,
      KeyOrderedDispatcher dispatcher,
      RetryTopics retryTopics,
      OutputProducer output,
      FunctionMetrics metrics) {
    return new RecordProcessor(
        function,
        new RecordDecoder(
            client, function, registry.getUnreachableWait(), dispatcher::sleepWithoutPermit),
        beans.getBean(function.bean()),
        output,
        new DeadLetterPublisher(output, runtime.getDeadLetterHeaderStyle()),
        retryTopics,
        watchdog,
        dispatcher,
        metrics);
  }

  private KafkaConsumer<byte[], byte[]> newConsumer(FunctionDescriptor function) {
    Map<String, Object> config = kafka.manualCommitConsumerConfig(function.group());
    config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "runnel-" + function.name());
    if (function.exactlyOnce()) {
      // Reads only committed data, so an upstream exactly-once function's aborted outputs are
      // skipped.
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @PreDestroy
  @Override
  public synchronized void close() {
    running.forEach(function -> function.loop().stop());
    long deadline = System.currentTimeMillis() + runtime.getDrainTimeout().toMillis() + 10_000;
    for (RunningFunction function : running) {
      try {
        function.thread().join(Math.max(1, deadline - System.currentTimeMillis()));
        if (function.thread().isAlive()) {
          function.loop().abort();
          function.thread().join(5_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      function.closers().forEach(Runnable::run);
    }
    running.clear();
    if (watchdog != null) {
      watchdog.close();
      watchdog = null;
    }
    if (producer != null) {
      producer.close();
      producer = null;
    }
  }
}
