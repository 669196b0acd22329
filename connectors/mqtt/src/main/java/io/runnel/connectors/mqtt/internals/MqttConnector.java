package io.runnel.connectors.mqtt.internals;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.runnel.connectors.mqtt.MqttOutboundSettings;
import io.runnel.connectors.mqtt.MqttRouteSettings;
import io.runnel.connectors.mqtt.MqttSettings;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.SubjectNameStrategy;
import io.runnel.registry.serde.AvroDeserializer;
import io.runnel.registry.serde.AvroSerializer;
import io.runnel.support.ComponentHealthIndicator;
import io.runnel.support.ComponentStatus;
import io.runnel.support.CounterFamily;
import io.runnel.support.InstanceSettings;
import io.runnel.support.KafkaClientMeters;
import io.runnel.support.KafkaSettings;
import io.runnel.support.RecordTracing;
import io.runnel.support.SchemaRegistrySettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT connector: one persistent MQTT session subscribed to the routes' filters. Each message
 * is mapped (or dead-lettered) and produced with acks=all on one thread, in the broker's order, and
 * acknowledged to the broker only once Kafka stored it. When Kafka (or the registry) fails, the
 * connector drops the MQTT connection without acknowledging anything more, so the broker keeps
 * every message not yet stored, and reconnects once Kafka answers: nothing is lost, some may come
 * twice.
 */
@Singleton
@Requires(property = "runnel.mqtt.enabled", value = "true")
final class MqttConnector
    implements ApplicationEventListener<StartupEvent>,
        ComponentHealthIndicator.Component,
        AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MqttConnector.class);

  private final MqttSettings settings;
  private final List<MqttRouteSettings> routeSettings;
  private final List<MqttOutboundSettings> outboundSettings;
  private final KafkaSettings kafka;
  private final SchemaRegistrySettings registrySettings;
  private final InstanceSettings instance;
  private final MeterRegistry meters;
  private final CounterFamily messages;
  private KafkaClientMeters producerMeters;
  private final RecordTracing tracing;

  /** What the connector is doing, in {@code /health} as the {@code mqtt} entry's {@code state}. */
  enum State {
    STARTING,
    CONNECTED,
    /**
     * The client dropped the connection because the broker broke the protocol (e.g. sent more than
     * the receive maximum); stays so after reconnecting until the connection has held for a while,
     * so a reconnect loop never looks healthy between drops.
     */
    BROKER_PROTOCOL_ERROR,
    BROKER_UNREACHABLE,
    KAFKA_UNREACHABLE,
    STOPPED
  }

  static final String PUBLISHED = "published";
  static final String DEAD_LETTERED = "deadLettered";
  static final String SENT_TO_DEVICES = "sentToDevices";
  static final String DROPS = "drops";

  /** The outcome of a message Kafka did not store (the broker sends it again). */
  private static final String FAILED = "failed";

  private final ComponentStatus<State> status =
      new ComponentStatus<>(
          "mqtt",
          "state",
          State.STARTING,
          Set.of(State.CONNECTED),
          List.of(PUBLISHED, DEAD_LETTERED, SENT_TO_DEVICES, DROPS));
  private final List<OutboundBridge> outbounds = new ArrayList<>();
  private ExecutorService ingest;
  private ScheduledExecutorService resumer;
  private KafkaProducer<byte[], byte[]> producer;
  private InboundMapper mapper;
  private MqttLink link;
  private final AtomicLong connections = new AtomicLong();
  private final List<InboundMessage> abandoned = new ArrayList<>();
  private volatile boolean linkUp;
  private volatile boolean paused;
  private volatile boolean closed;
  private Duration resumeBackoff;

  MqttConnector(
      MqttSettings settings,
      List<MqttRouteSettings> routeSettings,
      List<MqttOutboundSettings> outboundSettings,
      KafkaSettings kafka,
      SchemaRegistrySettings registrySettings,
      InstanceSettings instance,
      @Nullable MeterRegistry meters,
      RecordTracing tracing) {
    this.settings = settings;
    this.routeSettings = routeSettings;
    this.outboundSettings = outboundSettings;
    this.kafka = kafka;
    this.registrySettings = registrySettings;
    this.instance = instance;
    this.meters = meters;
    this.messages =
        CounterFamily.of(
            meters,
            "runnel.mqtt.messages",
            "MQTT messages taken, by route and outcome (published, dead_lettered, failed)",
            "route",
            "outcome");
    this.tracing = tracing;
  }

  @Override
  public synchronized void onApplicationEvent(StartupEvent event) {
    if (link != null) {
      return;
    }
    kafka.validate();
    registrySettings.validate();
    validate();
    SchemaRegistryClient registry = registrySettings.newClient();
    // Name order decides which of overlapping filters takes a message.
    List<MqttRoute> routes =
        routeSettings.stream()
            .map(r -> MqttRoute.of(r, registry))
            .sorted(Comparator.comparing(MqttRoute::name))
            .toList();
    List<MqttOutbound> ways = outboundSettings.stream().map(MqttOutbound::of).toList();
    if (routes.isEmpty() && ways.isEmpty()) {
      throw new ConfigurationException(
          "runnel.mqtt.enabled is true but neither runnel.mqtt.routes nor runnel.mqtt.outbound has"
              + " an entry");
    }
    String clientId =
        settings.getClientId() != null
            ? settings.getClientId()
            : "runnel-mqtt-" + instance.getInstanceId();
    Map<String, Object> config = kafka.durableProducerConfig(clientId);
    long timeoutMs = settings.getKafkaTimeout().toMillis();
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeoutMs);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMs, 30_000));
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
    producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    producerMeters = KafkaClientMeters.bind(meters, producer);
    mapper =
        new InboundMapper(
            routes,
            new AvroSerializer(
                registry,
                SubjectNameStrategy.TOPIC_NAME,
                registrySettings.isAutoRegisterSchemas(),
                false),
            settings.getMaxPayloadSize(),
            settings.getDeadLetterTopic(),
            tracing);
    ingest =
        Executors.newSingleThreadExecutor(Thread.ofPlatform().name("runnel-mqtt-ingest").factory());
    resumer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("runnel-mqtt-resume").factory());
    resumeBackoff = settings.getReconnectInitialDelay();
    link =
        MqttLink.create(
            settings,
            clientId,
            routes.stream().map(route -> route.filter().toString()).toList(),
            this::handle,
            ingest,
            new MqttLink.Listener() {
              @Override
              public void connected() {
                linkUp();
              }

              @Override
              public void subscribed() {
                LOG.info(
                    "Connected to the MQTT broker {}:{}, subscribed",
                    settings.getHost(),
                    settings.getPort());
                ready();
              }

              @Override
              public void disconnected(Throwable cause, String protocolError) {
                linkDown(cause, protocolError);
              }
            });
    connect();
    AvroDeserializer deserializer = new AvroDeserializer(registry, null, false);
    for (MqttOutbound way : ways) {
      outbounds.add(
          new OutboundBridge(
              way,
              link,
              kafka,
              producer,
              settings.getDeadLetterTopic(),
              deserializer,
              status,
              settings.getKafkaTimeout(),
              settings.getReconnectInitialDelay()));
    }
    LOG.info(
        "MQTT connector started as client {}: routes {}, outbound {}",
        clientId,
        routes.stream().map(MqttRoute::name).toList(),
        ways.stream().map(MqttOutbound::name).toList());
  }

  private void validate() {
    if (settings.getReceiveMaximum() < 1 || settings.getReceiveMaximum() > 65_535) {
      throw new ConfigurationException(
          "runnel.mqtt.receive-maximum must be 1 to 65535, was " + settings.getReceiveMaximum());
    }
    if (settings.getMaxPayloadSize() < 1) {
      throw new ConfigurationException(
          "runnel.mqtt.max-payload-size must be at least 1 byte, was "
              + settings.getMaxPayloadSize());
    }
    try {
      Topic.validate(settings.getDeadLetterTopic());
    } catch (InvalidTopicException e) {
      throw new ConfigurationException("runnel.mqtt.dead-letter-topic: " + e.getMessage());
    }
    if (settings.getKafkaTimeout().toMillis() < 1_000) {
      throw new ConfigurationException(
          "runnel.mqtt.kafka-timeout must be at least 1s, was " + settings.getKafkaTimeout());
    }
  }

  /** A new connection: what is abandoned from now on waits for this connection to end. */
  private synchronized void linkUp() {
    connections.incrementAndGet();
    linkUp = true;
  }

  /**
   * UP once subscribed, except after the broker broke the protocol: then only once this connection
   * has held for {@code reconnect-max-delay}, so a reconnect loop never shows UP between drops.
   */
  private void ready() {
    long connection = connections.get();
    if (status.read().state() != State.BROKER_PROTOCOL_ERROR) {
      status.become(State.CONNECTED, null);
      return;
    }
    resumer.schedule(
        () -> {
          if (linkUp && connections.get() == connection) {
            status.becomeIf(State.BROKER_PROTOCOL_ERROR, State.CONNECTED);
          }
        },
        settings.getReconnectMaxDelay().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void linkDown(Throwable cause, String protocolError) {
    boolean wasUp;
    synchronized (this) {
      wasUp = linkUp;
      linkUp = false;
      abandoned.forEach(InboundMessage::acknowledge);
      abandoned.clear();
    }
    if (paused || closed) {
      return;
    }
    if (wasUp) {
      status.count(DROPS, 1);
      status.note(
          "lastDrop",
          Instant.now() + " " + (protocolError != null ? protocolError : String.valueOf(cause)));
    }
    if (protocolError != null) {
      status.become(State.BROKER_PROTOCOL_ERROR, protocolError);
      LOG.warn(
          "Dropped the MQTT connection, reconnecting: {} ({})", protocolError, cause.toString());
    } else {
      status.become(State.BROKER_UNREACHABLE, String.valueOf(cause));
      LOG.warn("Not connected to the MQTT broker, reconnecting: {}", cause.toString());
    }
  }

  @Override
  public Optional<ComponentStatus<?>> componentStatus() {
    return Optional.of(status);
  }

  private void connect() {
    link.connect()
        .whenComplete(
            (connected, failure) -> {
              if (failure != null && !closed) {
                status.become(State.BROKER_UNREACHABLE, failure.toString());
                LOG.warn("Cannot connect to the MQTT broker yet: {}", failure.toString());
              }
            });
  }

  /** On the ingest thread, in the broker's order. */
  private void handle(InboundMessage message) {
    long connection = connections.get();
    if (paused || closed) {
      abandon(message, connection); // the broker sends it again after the reconnect
      return;
    }
    try {
      InboundMapper.Mapped mapped = mapper.toRecord(message);
      ProducerRecord<byte[], byte[]> record = mapped.record();
      boolean deadLetter = record.topic().equals(settings.getDeadLetterTopic());
      producer.send(
          record,
          (metadata, failure) -> {
            if (failure != null) {
              messages.increment(1, mapped.route(), FAILED);
              abandon(message, connection);
              kafkaFailed(failure);
            } else {
              messages.increment(1, mapped.route(), deadLetter ? "dead_lettered" : "published");
              // Stored, so acknowledged even while paused: the client acknowledges in the
              // broker's order, and an unacknowledged message would hold back all after it.
              message.acknowledge();
              status.count(deadLetter ? DEAD_LETTERED : PUBLISHED, 1);
            }
          });
    } catch (KafkaException e) {
      messages.increment(1, mapper.routeName(message), FAILED);
      abandon(message, connection);
      kafkaFailed(e);
    }
  }

  /**
   * Gives up on a message Kafka did not store, without the broker learning of it. The client sends
   * acknowledgements in the broker's order and only on the connection a message came on, so an
   * abandoned message must be released once its connection is gone (then nothing reaches the
   * broker, which keeps the message and sends it again), or it would hold back every
   * acknowledgement after it on all later connections.
   */
  private synchronized void abandon(InboundMessage message, long connection) {
    if (linkUp && connections.get() == connection) {
      abandoned.add(message);
    } else {
      message.acknowledge();
    }
  }

  private synchronized void kafkaFailed(Throwable failure) {
    if (paused || closed) {
      return;
    }
    paused = true;
    status.become(State.KAFKA_UNREACHABLE, "Kafka or the schema registry: " + failure);
    LOG.warn(
        "Kafka did not store a message; leaving the MQTT broker the unacknowledged ones and trying"
            + " again in {}: {}",
        resumeBackoff,
        failure.toString());
    link.disconnect();
    resumer.schedule(this::resumeIfKafkaAnswers, resumeBackoff.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void resumeIfKafkaAnswers() {
    try (Admin admin = Admin.create(kafka.adminConfig())) {
      admin
          .describeCluster()
          .nodes()
          .get(settings.getKafkaTimeout().toMillis(), TimeUnit.MILLISECONDS);
      registrySettings.newClient().getSubjects();
    } catch (Exception e) {
      synchronized (this) {
        if (closed) {
          return;
        }
        resumeBackoff = min(resumeBackoff.multipliedBy(2), settings.getReconnectMaxDelay());
        status.become(State.KAFKA_UNREACHABLE, "Kafka or the schema registry: " + e);
        resumer.schedule(
            this::resumeIfKafkaAnswers, resumeBackoff.toMillis(), TimeUnit.MILLISECONDS);
      }
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      LOG.info("Kafka answers again; reconnecting to the MQTT broker");
      resumeBackoff = settings.getReconnectInitialDelay();
      paused = false;
      connect();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @PreDestroy
  @Override
  public void close() {
    synchronized (this) {
      if (closed || link == null) {
        return;
      }
      closed = true;
    }
    outbounds.forEach(OutboundBridge::close);
    resumer.shutdownNow();
    link.close();
    ingest.shutdown();
    try {
      ingest.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
    producerMeters.close();
    status.become(State.STOPPED, null);
  }
}
