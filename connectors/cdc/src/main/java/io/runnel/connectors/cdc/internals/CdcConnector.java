package io.runnel.connectors.cdc.internals;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.runnel.connectors.cdc.CdcSettings;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.support.ComponentHealthIndicator;
import io.runnel.support.ComponentStatus;
import io.runnel.support.CounterFamily;
import io.runnel.support.KafkaClientMeters;
import io.runnel.support.KafkaSettings;
import io.runnel.support.RecordTracing;
import io.runnel.support.SchemaRegistrySettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Debezium's embedded PostgreSQL connector for the configured tables and keeps it running:
 * when the database or Kafka fails, the engine stops without acknowledging what Kafka did not
 * store, and is started again after a backoff that doubles up to {@code max-restart-backoff}. Its
 * position lives in a Kafka topic, so a restart of the process resumes where Kafka's acknowledged
 * changes end.
 */
@Singleton
@Requires(property = "runnel.cdc.enabled", value = "true")
public final class CdcConnector
    implements ApplicationEventListener<StartupEvent>, ComponentHealthIndicator.Component {

  /** What the connector is doing, shown as {@code state} in {@code /health} under {@code cdc}. */
  enum State {
    STARTING,
    STREAMING,
    DOWN,
    STOPPED
  }

  /** The counter of changes Kafka stored. */
  static final String CHANGES_PUBLISHED = "changesPublished";

  private static final Logger LOG = LoggerFactory.getLogger(CdcConnector.class);
  private static final String HEARTBEAT_PREFIX = "__runnel-cdc-heartbeat";

  private final CdcSettings settings;
  private final KafkaSettings kafka;
  private final SchemaRegistrySettings registrySettings;
  private final RecordTracing tracing;
  private final ComponentStatus<State> status =
      new ComponentStatus<>(
          "cdc", "state", State.STARTING, Set.of(State.STREAMING), List.of(CHANGES_PUBLISHED));
  private final AtomicReference<DebeziumEngine<?>> engine = new AtomicReference<>();
  private final MeterRegistry meters;
  private KafkaProducer<byte[], byte[]> producer;
  private KafkaClientMeters producerMeters;
  private Thread runner;
  private volatile boolean running;

  CdcConnector(
      CdcSettings settings,
      KafkaSettings kafka,
      SchemaRegistrySettings registrySettings,
      @Nullable MeterRegistry meters,
      RecordTracing tracing) {
    this.settings = settings;
    this.kafka = kafka;
    this.registrySettings = registrySettings;
    this.meters = meters;
    this.tracing = tracing;
  }

  @Override
  public synchronized void onApplicationEvent(StartupEvent event) {
    settings.validate();
    kafka.validate();
    registrySettings.validate();
    try {
      DatabasePreflight.check(settings);
    } catch (DatabasePreflight.Unreachable e) {
      LOG.warn("{}; the connector keeps trying", e.getMessage());
      status.become(State.DOWN, e.getMessage());
    }
    producer = newProducer();
    producerMeters = KafkaClientMeters.bind(meters, producer);
    SchemaRegistryClient registry = registrySettings.newClient();
    ConnectToAvro avro = new ConnectToAvro();
    ChangePublisher publisher =
        new ChangePublisher(
            producer,
            registry,
            new ChangeShaper(settings.getShape(), avro),
            avro,
            HEARTBEAT_PREFIX,
            settings.getTopicPrefix(),
            status,
            CounterFamily.of(
                meters,
                "runnel.cdc.changes",
                "Row changes published to Kafka, by table (schema.table)",
                "table"),
            tracing);
    running = true;
    runner = Thread.ofPlatform().name("runnel-cdc").start(() -> runUntilClosed(publisher));
  }

  /** UP while streaming, DOWN with the reason while the database or Kafka is unavailable. */
  @Override
  public Optional<ComponentStatus<?>> componentStatus() {
    return Optional.of(status);
  }

  private void runUntilClosed(ChangePublisher publisher) {
    Duration backoff = settings.getRestartBackoff();
    while (running) {
      long published = status.read().counter(CHANGES_PUBLISHED);
      String failure = runOnce(publisher);
      if (!running) {
        break;
      }
      if (status.read().counter(CHANGES_PUBLISHED) > published) {
        backoff = settings.getRestartBackoff(); // it worked for a while: start again from short
      }
      status.become(State.DOWN, failure);
      LOG.warn("CDC connector stopped ({}); restarting in {}", failure, backoff);
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        break;
      }
      backoff = min(backoff.multipliedBy(2), settings.getMaxRestartBackoff());
    }
    status.become(State.STOPPED, null);
  }

  /** Runs one engine until it stops; returns why it stopped. */
  private String runOnce(ChangePublisher publisher) {
    try {
      DatabasePreflight.check(settings);
    } catch (DatabasePreflight.Unreachable e) {
      return e.getMessage();
    } catch (ConfigurationException e) {
      return e.getMessage(); // changed since start-up (e.g. a table dropped): keep retrying
    }
    AtomicReference<String> why = new AtomicReference<>("the engine stopped");
    DebeziumEngine<RecordChangeEvent<SourceRecord>> started =
        DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
            .using(engineProperties())
            .notifying(publisher)
            .using(
                (success, message, error) -> {
                  if (!success) {
                    why.set(error == null ? message : message + ": " + rootMessage(error));
                  }
                })
            .build();
    engine.set(started);
    status.become(State.STARTING, null);
    started.run();
    engine.set(null);
    return why.get();
  }

  private Properties engineProperties() {
    Properties properties = new Properties();
    properties.setProperty("name", "runnel-cdc-" + settings.getSlot());
    properties.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    properties.setProperty("plugin.name", "pgoutput");
    properties.setProperty("database.hostname", settings.getHost());
    properties.setProperty("database.port", String.valueOf(settings.getPort()));
    properties.setProperty("database.dbname", settings.getDatabase());
    properties.setProperty("database.user", settings.getUser());
    if (settings.getPassword() != null) {
      properties.setProperty("database.password", settings.getPassword());
    }
    properties.setProperty("topic.prefix", settings.getTopicPrefix());
    properties.setProperty(
        "table.include.list",
        settings.getTables().stream()
            .map(table -> table.replace(".", "\\."))
            .collect(Collectors.joining(",")));
    properties.setProperty("slot.name", settings.getSlot());
    properties.setProperty("publication.name", settings.getPublication());
    properties.setProperty(
        "publication.autocreate.mode", settings.isCreatePublication() ? "filtered" : "disabled");
    properties.setProperty("snapshot.mode", settings.getSnapshot().name().toLowerCase(Locale.ROOT));
    properties.setProperty(
        "heartbeat.interval.ms", String.valueOf(settings.getHeartbeatInterval().toMillis()));
    properties.setProperty("topic.heartbeat.prefix", HEARTBEAT_PREFIX);
    properties.setProperty("decimal.handling.mode", "precise");
    properties.setProperty("schema.name.adjustment.mode", "avro");
    properties.setProperty("field.name.adjustment.mode", "avro");
    // Failures stop the engine; this class restarts it, so health can show DOWN meanwhile.
    properties.setProperty("errors.max.retries", "0");
    properties.setProperty(
        "offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
    properties.setProperty("offset.storage.topic", settings.getOffsetsTopic());
    properties.setProperty("offset.storage.partitions", "1");
    properties.setProperty("offset.storage.replication.factor", "-1");
    properties.setProperty(
        "offset.flush.interval.ms", String.valueOf(settings.getOffsetsFlushInterval().toMillis()));
    properties.setProperty("bootstrap.servers", kafka.getBootstrapServers());
    properties.putAll(settings.getDebezium());
    return properties;
  }

  private KafkaProducer<byte[], byte[]> newProducer() {
    return new KafkaProducer<>(
        kafka.durableProducerConfig("runnel-cdc"),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == error ? error.toString() : error.getMessage() + " / " + root;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @PreDestroy
  synchronized void close() throws IOException, InterruptedException {
    running = false;
    DebeziumEngine<?> current = engine.get();
    if (current != null) {
      current.close();
    }
    if (runner != null) {
      runner.interrupt();
      runner.join(Duration.ofSeconds(30));
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
      producerMeters.close();
    }
  }
}
