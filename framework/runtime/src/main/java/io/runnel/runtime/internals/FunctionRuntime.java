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
import io.runnel.runtime.GroupProtocol;
import io.runnel.runtime.RestartBackoffSettings;
import io.runnel.runtime.RuntimeSettings;
import io.runnel.runtime.ScalingSettings;
import io.runnel.runtime.UsageSettings;
import io.runnel.support.ComponentHealthIndicator;
import io.runnel.support.ComponentStatus;
import io.runnel.support.FunctionDescriptor;
import io.runnel.support.FunctionDescriptors;
import io.runnel.support.InstanceSettings;
import io.runnel.support.KafkaClientMeters;
import io.runnel.support.KafkaSettings;
import io.runnel.support.RecordTracing;
import io.runnel.support.SchemaRegistrySettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a {@link ConsumerLoop} for every function once the context has started, after checking the
 * settings, under a {@link ConsumerLoopSupervisor} that starts a new one when it stops on an error,
 * and stops them (letting each finish and commit the records in hand) when it closes. Each
 * function's {@link ConsumerLoopStatus} is an entry of {@code /health}.
 */
@Singleton
@Requires(property = "runnel.runtime.enabled", notEquals = "false")
final class FunctionRuntime
    implements ApplicationEventListener<StartupEvent>,
        ComponentHealthIndicator.Component,
        AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FunctionRuntime.class);

  /** What runs one function. */
  private record RunningFunction(
      ConsumerLoopSupervisor supervisor, Thread thread, ConsumerLoopStatus status) {}

  private final FunctionDescriptors functions;
  private final KafkaSettings kafka;
  private final SchemaRegistrySettings registry;
  private final RuntimeSettings runtime;
  private final RestartBackoffSettings restartBackoff;
  private final ScalingSettings scaling;
  private final InstanceSettings instance;
  private final UsageSettings usageSettings;
  private final BeanContext beans;
  private final MeterRegistry meters;
  private final RecordTracing tracing;
  // Read by /health while start-up or shutdown changes it.
  private final List<RunningFunction> running = new CopyOnWriteArrayList<>();
  private HandOverProducer producer;
  private KafkaClientMeters producerMeters;
  private InvocationWatchdog watchdog;
  private UsagePublisher usage;

  FunctionRuntime(
      FunctionDescriptors functions,
      KafkaSettings kafka,
      SchemaRegistrySettings registry,
      RuntimeSettings runtime,
      RestartBackoffSettings restartBackoff,
      ScalingSettings scaling,
      InstanceSettings instance,
      UsageSettings usageSettings,
      BeanContext beans,
      @Nullable MeterRegistry meters,
      RecordTracing tracing) {
    this.functions = functions;
    this.kafka = kafka;
    this.registry = registry;
    this.runtime = runtime;
    this.restartBackoff = restartBackoff;
    this.scaling = scaling;
    this.instance = instance;
    this.usageSettings = usageSettings;
    this.beans = beans;
    this.meters = meters;
    this.tracing = tracing;
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
    runtime.validateAgainst(kafka.getConsumer());
    usageSettings.validate();
    restartBackoff.validate();
    scaling.validate();
    new TopicProvisioner(kafka, runtime)
        .provision(
            enabled,
            usageSettings.isEnabled()
                ? Map.of(usageSettings.getTopic(), "usage records")
                : Map.of());
    SchemaRegistryClient client = registry.newClient();
    // One serializer for every producer: its schema-id and writer caches are built once.
    AvroSerializer serializer =
        new AvroSerializer(
            client, SubjectNameStrategy.TOPIC_NAME, registry.isAutoRegisterSchemas(), false);
    producer = new HandOverProducer(kafka, serializer);
    producerMeters = KafkaClientMeters.bind(meters, producer.producer);
    watchdog = new InvocationWatchdog("runnel-timeouts");
    if (usageSettings.isEnabled()) {
      usage =
          new UsagePublisher(
              kafka,
              serializer,
              usageSettings.getTopic(),
              instance.getInstanceId(),
              Duration.ofMinutes(1));
    }
    StateValues stateValues = new StateValues(client, serializer);
    for (FunctionDescriptor function : enabled) {
      running.add(start(function, client, serializer, stateValues));
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

  /** Starts the consumer thread of one function, which starts a new consumer after a failure. */
  private RunningFunction start(
      FunctionDescriptor function,
      SchemaRegistryClient client,
      AvroSerializer serializer,
      StateValues stateValues) {
    RecordMeters recordMeters =
        new RecordMeters(
            FunctionMetrics.of(meters, function.name()),
            usage == null ? UsageMeter.NONE : usage.meter(function.name()));
    ConsumerLoopStatus status = new ConsumerLoopStatus(function.name());
    Supplier<ConsumerLoopSupervisor.Run> runs =
        () -> newRun(function, client, serializer, stateValues, recordMeters, status);
    ConsumerLoopSupervisor supervisor =
        new ConsumerLoopSupervisor(
            function.name(),
            runs.get(),
            runs,
            new RestartBackoff(
                restartBackoff.getInitial(),
                restartBackoff.getMax(),
                restartBackoff.getResetAfter()),
            status);
    Thread thread = Thread.ofPlatform().name("runnel-" + function.name()).start(supervisor);
    return new RunningFunction(supervisor, thread, status);
  }

  /**
   * Builds one function's consumer loop, on the path its delivery guarantee takes (chosen here, at
   * each start): at-least-once functions send through the shared producer, have the consumer commit
   * their offsets and handle a record again when an output was lost; an exactly-once function sends
   * through its own transactional producer, commits offsets in its transactions and aborts one when
   * an output was lost.
   */
  private ConsumerLoopSupervisor.Run newRun(
      FunctionDescriptor function,
      SchemaRegistryClient client,
      AvroSerializer serializer,
      StateValues stateValues,
      RecordMeters recordMeters,
      ConsumerLoopStatus status) {
    FunctionMetrics metrics = recordMeters.metrics();
    // Global tables are read to their end here, before the consumer is created.
    StateStores state = StateStores.open(function, kafka, stateValues);
    KafkaConsumer<byte[], byte[]> consumer = newConsumer(function);
    PartitionOffsets offsets = new PartitionOffsets(function.name(), runtime.getDrainTimeout());
    RetryTopics retryTopics = new RetryTopics(function.retryTopicDelaysMs());
    ConcurrencyLimiter limiter = ConcurrencyLimiter.of(function);
    metrics.concurrencyLimit(limiter::limit);
    KeyOrderedDispatcher dispatcher =
        new KeyOrderedDispatcher(
            function.ordering(), limiter, "runnel-" + function.name() + "-handler");
    List<Runnable> closers =
        new ArrayList<>(
            List.of(
                dispatcher::close, KafkaClientMeters.bind(meters, consumer)::close, state::close));
    RecordProcessor processor;
    CommitStrategy commits;
    RecordWork.SendFailures sendFailures;
    if (function.exactlyOnce()) {
      // Its own transactional producer: outputs, dead letters and offsets in one transaction.
      TransactionalProducer transactional =
          TransactionalProducer.create(
              kafka, serializer, function.transactionalIdPrefix() + instance.getInstanceId());
      closers.add(transactional::close);
      closers.add(KafkaClientMeters.bind(meters, transactional.producer)::close);
      TransactionalCommits transactions =
          new TransactionalCommits(function.name(), consumer, offsets, transactional, state);
      processor =
          newProcessor(
              function, client, dispatcher, retryTopics, transactional, recordMeters, state);
      commits = transactions;
      sendFailures = transactions::abortAtNextCommit;
    } else {
      processor =
          newProcessor(function, client, dispatcher, retryTopics, producer, recordMeters, state);
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
            recordMeters,
            new LagMonitor(
                function.name(),
                function.topics(),
                function.scaling(),
                scaling.getInterval(),
                consumer,
                offsets,
                metrics),
            status,
            state);
    return new ConsumerLoopSupervisor.Run(loop, closers);
  }

  private RecordProcessor newProcessor(
      FunctionDescriptor function,
      SchemaRegistryClient client,
      KeyOrderedDispatcher dispatcher,
      RetryTopics retryTopics,
      OutputProducer output,
      RecordMeters recordMeters,
      StateStores state) {
    return new RecordProcessor(
        function,
        new RecordDecoder(
            client, function, registry.getUnreachableWait(), dispatcher::sleepWithoutPermit),
        beans.getBean(function.bean()),
        output,
        new DeadLetterPublisher(output, runtime.getDeadLetterHeaderStyle(), tracing),
        retryTopics,
        watchdog,
        dispatcher,
        recordMeters,
        tracing,
        state);
  }

  private KafkaConsumer<byte[], byte[]> newConsumer(FunctionDescriptor function) {
    Map<String, Object> config = kafka.manualCommitConsumerConfig(function.group());
    config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "runnel-" + function.name());
    config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, runtime.getGroupProtocol().kafkaName());
    if (runtime.getGroupProtocol() == GroupProtocol.CLASSIC) {
      // Kafka's default list starts with the eager RangeAssignor, which revokes every partition of
      // every member whenever one joins or leaves.
      config.putIfAbsent(
          ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
          CooperativeStickyAssignor.class.getName());
    }
    if (function.exactlyOnce()) {
      // Reads only committed data, so an upstream exactly-once function's aborted outputs are
      // skipped.
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public List<ComponentStatus<?>> componentStatuses() {
    return running.stream()
        .<ComponentStatus<?>>map(function -> function.status().componentStatus())
        .toList();
  }

  @PreDestroy
  @Override
  public synchronized void close() {
    running.forEach(function -> function.supervisor().stop());
    long deadline = System.currentTimeMillis() + runtime.getDrainTimeout().toMillis() + 10_000;
    for (RunningFunction function : running) {
      try {
        function.thread().join(Math.max(1, deadline - System.currentTimeMillis()));
        if (function.thread().isAlive()) {
          function.supervisor().abort();
          function.thread().join(5_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    running.clear();
    if (watchdog != null) {
      watchdog.close();
      watchdog = null;
    }
    if (producer != null) {
      producer.close();
      producer = null;
      producerMeters.close();
    }
    if (usage != null) {
      usage.close(); // after every invocation ended: the minute in progress is complete
      usage = null;
    }
  }
}
