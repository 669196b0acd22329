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
import io.runnel.runtime.KafkaSettings;
import io.runnel.runtime.SchemaRegistrySettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
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
  private static final long STOP_TIMEOUT_MS = 30_000;

  private final FunctionCatalog catalog;
  private final KafkaSettings kafka;
  private final SchemaRegistrySettings registry;
  private final List<FunctionSettings> overrides;
  private final BeanContext beans;
  private final List<ConsumerLoop> loops = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private OutputProducer producer;

  FunctionRuntime(
      FunctionCatalog catalog,
      KafkaSettings kafka,
      SchemaRegistrySettings registry,
      List<FunctionSettings> overrides,
      BeanContext beans) {
    this.catalog = catalog;
    this.kafka = kafka;
    this.registry = registry;
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
    SchemaRegistryClient client =
        new SchemaRegistryClient(
            registry.getUrl(), registry.getRequestTimeout(), registry.getBasicAuthUserInfo());
    producer =
        new OutputProducer(
            kafka.getBootstrapServers(),
            kafka.getProducer(),
            new AvroSerializer(
                client, SubjectNameStrategy.TOPIC_NAME, registry.isAutoRegisterSchemas(), false));
    DeadLetterPublisher deadLetters = new DeadLetterPublisher(producer);
    for (FunctionDefinition function : functions) {
      ConsumerLoop loop =
          new ConsumerLoop(
              function,
              newConsumer(function),
              new RecordDecoder(client, function.eventType()),
              beans.getBean(function.bean()),
              producer,
              deadLetters);
      loops.add(loop);
      threads.add(Thread.ofPlatform().name("runnel-" + function.name()).start(loop));
      LOG.info(
          "Function {} consuming {} as group {}",
          function.name(),
          function.topics(),
          function.group());
    }
  }

  /**
   * The enabled functions with their configuration overrides; an override for no known function
   * fails start-up.
   */
  private List<FunctionDefinition> resolveFunctions() {
    Map<String, FunctionDefinition> byName = new HashMap<>();
    for (FunctionDefinition function : catalog.definitions()) {
      FunctionDefinition clash = byName.put(function.name(), function);
      if (clash != null) {
        throw new ConfigurationException(
            "Two @EventFunction methods are named '"
                + function.name()
                + "' ("
                + clash.bean().getBeanType().getName()
                + " and "
                + function.bean().getBeanType().getName()
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
    for (FunctionDefinition function : byName.values()) {
      FunctionSettings settings = settingsByName.get(function.name());
      if (settings == null) {
        enabled.add(function.validated("runnel.functions." + function.name() + "."));
      } else if (settings.isEnabled()) {
        enabled.add(function.withOverrides(settings));
      }
    }
    return enabled;
  }

  private KafkaConsumer<byte[], byte[]> newConsumer(FunctionDefinition function) {
    Map<String, Object> config = new HashMap<>(kafka.getConsumer());
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, function.group());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "runnel-" + function.name());
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @PreDestroy
  @Override
  public synchronized void close() {
    loops.forEach(ConsumerLoop::stop);
    long deadline = System.currentTimeMillis() + STOP_TIMEOUT_MS;
    for (int i = 0; i < threads.size(); i++) {
      try {
        threads.get(i).join(Math.max(1, deadline - System.currentTimeMillis()));
        if (threads.get(i).isAlive()) {
          loops.get(i).abort();
          threads.get(i).join(5_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    loops.clear();
    threads.clear();
    if (producer != null) {
      producer.close();
      producer = null;
    }
  }
}
