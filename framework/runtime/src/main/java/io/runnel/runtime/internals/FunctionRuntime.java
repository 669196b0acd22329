package io.runnel.runtime.internals;

import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.context.exceptions.ConfigurationException;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.SubjectNameStrategy;
import io.runnel.registry.serde.AvroSerializer;
import io.runnel.runtime.FunctionSettings;
import io.runnel.runtime.RuntimeSettings;
import io.runnel.support.InstanceSettings;
import io.runnel.support.KafkaSettings;
import io.runnel.support.SchemaRegistrySettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
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

  /** What runs one function. */
  private record RunningFunction(
      ConsumerLoop loop,
      Thread thread,
      KeyOrderedDispatcher dispatcher,
      OutputProducer transactions) {}

  private final FunctionCatalog catalog;
  private final KafkaSettings kafka;
  private final SchemaRegistrySettings registry;
  private final RuntimeSettings runtime;
  private final InstanceSettings instance;
  private final List<FunctionSettings> overrides;
  private final BeanContext beans;
  private final List<RunningFunction> running = new ArrayList<>();
  private OutputProducer producer;
  private InvocationWatchdog watchdog;

  FunctionRuntime(
      FunctionCatalog catalog,
      KafkaSettings kafka,
      SchemaRegistrySettings registry,
      RuntimeSettings runtime,
      InstanceSettings instance,
      List<FunctionSettings> overrides,
      BeanContext beans) {
    this.catalog = catalog;
    this.kafka = kafka;
    this.registry = registry;
    this.runtime = runtime;
    this.instance = instance;
    this.overrides = overrides;
    this.beans = beans;
  }

  @Override
  public synchronized void onApplicationEvent(StartupEvent event) {
    List<FunctionDefinition> functions = resolveFunctions();
    if (functions.isEmpty()) {
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
    producer = new OutputProducer(kafka, serializer, null);
    DeadLetterPublisher deadLetters =
        new DeadLetterPublisher(producer, runtime.getDeadLetterHeaderStyle());
    watchdog = new InvocationWatchdog("runnel-timeouts");
    for (FunctionDefinition function : functions) {
      // An exactly-once function gets its own transactional producer; the others share one.
      OutputProducer transactions =
          function.exactlyOnce()
              ? new OutputProducer(
                  kafka, serializer, "runnel-" + function.group() + "-" + instance.getInstanceId())
              : null;
      OutputProducer output = transactions != null ? transactions : producer;
      KeyOrderedDispatcher dispatcher =
          new KeyOrderedDispatcher(
              function.ordering(),
              function.maxConcurrency(),
              "runnel-" + function.name() + "-handler");
      RecordProcessor processor =
          new RecordProcessor(
              function,
              new RecordDecoder(
                  client,
                  function.eventType(),
                  registry.getUnreachableWait(),
                  dispatcher::sleepWithoutPermit),
              beans.getBean(function.bean()),
              output,
              transactions != null
                  ? new DeadLetterPublisher(transactions, runtime.getDeadLetterHeaderStyle())
                  : deadLetters,
              watchdog,
              dispatcher);
      ConsumerLoop loop =
          new ConsumerLoop(
              function,
              newConsumer(function),
              processor,
              runtime.getCommitInterval(),
              runtime.getDrainTimeout(),
              transactions);
      Thread thread = Thread.ofPlatform().name("runnel-" + function.name()).start(loop);
      running.add(new RunningFunction(loop, thread, dispatcher, transactions));
      LOG.info(
          "Function {} consuming {} as group {} ({} ordering, up to {} at once)",
          function.name(),
          function.topics(),
          function.group(),
          function.ordering(),
          function.maxConcurrency());
    }
  }

  /**
   * The enabled functions with their overrides; an override for no known function fails start-up.
   */
  private List<FunctionDefinition> resolveFunctions() {
    Map<String, FunctionCatalog.FoundFunction> byName = new LinkedHashMap<>();
    for (FunctionCatalog.FoundFunction found : catalog.found()) {
      FunctionCatalog.FoundFunction clash = byName.put(found.name(), found);
      if (clash != null) {
        throw new ConfigurationException(
            "Two @EventFunction methods are named '"
                + found.name()
                + "' ("
                + clash.bean().getBeanType().getName()
                + " and "
                + found.bean().getBeanType().getName()
                + "): give one of them another name");
      }
    }
    Map<String, FunctionSettings> settingsByName =
        overrides.stream()
            .collect(Collectors.toMap(FunctionSettings::getName, Function.identity()));
    for (String name : settingsByName.keySet()) {
      if (!byName.containsKey(name)) {
        throw new ConfigurationException(
            "runnel.functions."
                + name
                + " configures no known function; the functions are "
                + byName.keySet());
      }
    }
    List<FunctionDefinition> enabled = new ArrayList<>();
    for (FunctionCatalog.FoundFunction found : byName.values()) {
      FunctionSettings settings = settingsByName.get(found.name());
      if (settings == null || settings.isEnabled()) {
        enabled.add(FunctionDefinition.of(found.bean(), found.method(), settings));
      }
    }
    return enabled;
  }

  private KafkaConsumer<byte[], byte[]> newConsumer(FunctionDefinition function) {
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
      function.dispatcher().close();
      if (function.transactions() != null) {
        function.transactions().close();
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
    }
  }
}
