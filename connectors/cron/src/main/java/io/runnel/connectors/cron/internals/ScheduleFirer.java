package io.runnel.connectors.cron.internals;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.runnel.connectors.cron.ScheduleSettings;
import io.runnel.connectors.cron.SchedulerSettings;
import io.runnel.support.ComponentHealthIndicator;
import io.runnel.support.ComponentStatus;
import io.runnel.support.CounterFamily;
import io.runnel.support.InstanceSettings;
import io.runnel.support.KafkaSettings;
import io.runnel.support.RecordTracing;
import io.runnel.support.SchemaRegistrySettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the configured schedules from exactly one instance. Every instance joins the consumer group
 * {@code runnel.scheduler.group} on the one-partition state topic; the one that is assigned the
 * partition fences its predecessor (see {@link TickPublisher}), reads the state to its committed
 * end, and from then on publishes each due tick together with the new state in one transaction. A
 * failover or restart thus continues from the last committed tick: none is published twice, and the
 * ticks that fell due meanwhile follow the schedule's missed policy.
 */
@Singleton
@Requires(property = "runnel.scheduler.enabled", notEquals = "false")
final class ScheduleFirer
    implements ApplicationEventListener<StartupEvent>,
        AutoCloseable,
        ComponentHealthIndicator.Component {

  /** This instance's part, shown as {@code role} in {@code /health} under {@code scheduler}. */
  enum Role {
    STARTING,
    STANDBY,
    FIRING,
    DOWN
  }

  private static final Logger LOG = LoggerFactory.getLogger(ScheduleFirer.class);
  private static final Duration STANDBY_POLL = Duration.ofSeconds(1);

  private final List<ScheduleSettings> scheduleSettings;
  private final SchedulerSettings settings;
  private final KafkaSettings kafka;
  private final SchemaRegistrySettings registry;
  private final InstanceSettings instance;
  private final RecordTracing tracing;
  private final ComponentStatus<Role> status =
      new ComponentStatus<>(
          "scheduler",
          "role",
          Role.STARTING,
          Set.of(Role.FIRING, Role.STANDBY),
          List.of("ticksPublished"));
  private List<Schedule> schedules;
  private TopicPartition statePartition;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private Thread thread;

  // Owned by the firing thread.
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private TickPublisher publisher;
  private final MeterRegistry meters;
  private final CounterFamily ticks;
  private boolean assigned;
  private long loadUntil = -1;
  private final Map<String, Instant> settled = new HashMap<>();

  ScheduleFirer(
      List<ScheduleSettings> scheduleSettings,
      SchedulerSettings settings,
      KafkaSettings kafka,
      SchemaRegistrySettings registry,
      InstanceSettings instance,
      @Nullable MeterRegistry meters,
      RecordTracing tracing) {
    this.scheduleSettings = scheduleSettings;
    this.settings = settings;
    this.kafka = kafka;
    this.registry = registry;
    this.instance = instance;
    this.meters = meters;
    this.ticks =
        CounterFamily.of(
            meters, "runnel.schedule.ticks", "Ticks published to Kafka, by schedule", "schedule");
    this.tracing = tracing;
  }

  @Override
  public synchronized void onApplicationEvent(StartupEvent event) {
    if (schedules != null) {
      return;
    }
    schedules = scheduleSettings.stream().map(Schedule::of).toList();
    if (schedules.isEmpty()) {
      return;
    }
    status.withDetail("schedules", schedules.stream().map(Schedule::name).toList());
    kafka.validate();
    registry.validate();
    statePartition = new TopicPartition(settings.getStateTopic(), 0);
    thread = Thread.ofPlatform().name("runnel-scheduler").start(this::run);
    LOG.info(
        "Schedules {} compete to fire in group {}",
        schedules.stream().map(Schedule::name).toList(),
        settings.getGroup());
  }

  /**
   * UP while firing or standing by, DOWN with the reason while ticks cannot be published; nothing
   * when no schedule is configured.
   */
  @Override
  public Optional<ComponentStatus<?>> componentStatus() {
    return schedules == null || schedules.isEmpty() ? Optional.empty() : Optional.of(status);
  }

  private void run() {
    try {
      createTopics();
      consumer = new KafkaConsumer<>(consumerConfig());
      consumer.subscribe(List.of(settings.getStateTopic()), new Leadership());
      while (stopping.getCount() > 0) {
        step();
      }
    } catch (WakeupException | InterruptedException e) {
      // close() asked us to stop.
    } catch (RuntimeException e) {
      LOG.error("The scheduler stopped", e);
      status.become(Role.DOWN, "stopped: " + e);
    } finally {
      try {
        closePublisher();
      } finally {
        if (consumer != null) {
          consumer.close(Duration.ofSeconds(5)); // leaves the group: a standby takes over at once
        }
      }
    }
  }

  private void createTopics() throws InterruptedException {
    List<NewTopic> topics = new ArrayList<>();
    topics.add(
        new NewTopic(settings.getStateTopic(), Optional.of(1), Optional.empty())
            .configs(
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    schedules.stream()
        .map(Schedule::topic)
        .distinct()
        .forEach(topic -> topics.add(new NewTopic(topic, Optional.of(1), Optional.empty())));
    while (stopping.getCount() > 0) {
      try {
        kafka.createTopicsIfMissing(topics);
        return;
      } catch (KafkaException e) {
        status.become(Role.DOWN, "cannot create the topics: " + e.getMessage());
        LOG.warn("Cannot create the schedule topics yet, trying again: {}", e.toString());
        stopping.await(settings.getRetryBackoff().toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> config = kafka.manualCommitConsumerConfig(settings.getGroup());
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "runnel-scheduler-" + instance.getInstanceId());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    if (!"consumer"
        .equalsIgnoreCase(String.valueOf(config.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG)))) {
      // An instance joining must not take the partition away from the firing one, even briefly.
      config.put(
          ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
          CooperativeStickyAssignor.class.getName());
    }
    return config;
  }

  /** One turn: poll (keeps the membership, reads state), then fire what is due if we lead. */
  private void step() throws InterruptedException {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(pollTimeout())) {
      if (record.key() == null) {
        continue; // not written by a scheduler
      }
      String name = new String(record.key(), StandardCharsets.UTF_8);
      ScheduleState.decode(record.value())
          .ifPresent(time -> settled.merge(name, time, (a, b) -> a.isAfter(b) ? a : b));
    }
    if (!assigned) {
      return;
    }
    try {
      if (publisher == null) {
        takeOver();
      } else if (loadUntil >= 0 && consumer.position(statePartition) >= loadUntil) {
        loadUntil = -1;
        status.become(Role.FIRING, null);
        LOG.info("Firing the schedules from their state {}", settled);
      }
      if (publisher != null && loadUntil < 0) {
        fireDue();
      }
    } catch (KafkaException e) {
      // Also a fenced producer: the next turn takes over afresh if the partition is still ours.
      closePublisher();
      status.become(Role.DOWN, e.toString());
      LOG.warn("Could not publish ticks; trying again with a new producer: {}", e.toString());
      stopping.await(settings.getRetryBackoff().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Fences the previous firing instance, then reads the state to its committed end. */
  private void takeOver() {
    publisher =
        new TickPublisher(
            kafka,
            registry.newClient(),
            registry.isAutoRegisterSchemas(),
            settings.getGroup(),
            settings.getStateTopic(),
            instance.getInstanceId(),
            meters,
            ticks,
            tracing);
    settled.clear();
    consumer.seekToBeginning(List.of(statePartition));
    // Read_committed: the end is the last stable offset, after any transaction just aborted.
    loadUntil = consumer.endOffsets(List.of(statePartition)).get(statePartition);
  }

  private void fireDue() {
    Instant now = Instant.now();
    Map<Schedule, TickPlan> plans = new LinkedHashMap<>();
    int ticks = 0;
    for (Schedule schedule : schedules) {
      Instant through = settled.get(schedule.name());
      // A schedule seen for the first time starts now: no tick before it is due.
      TickPlan plan = through == null ? new TickPlan(List.of(), now) : schedule.plan(through, now);
      if (!plan.settledThrough().equals(through)) {
        plans.put(schedule, plan);
        ticks += plan.ticks().size();
      }
    }
    if (plans.isEmpty()) {
      return;
    }
    publisher.publish(plans, now);
    plans.forEach((schedule, plan) -> settled.put(schedule.name(), plan.settledThrough()));
    status.progressed(Role.FIRING, "ticksPublished", ticks);
  }

  private Duration pollTimeout() {
    if (publisher == null || loadUntil >= 0) {
      return STANDBY_POLL;
    }
    Instant now = Instant.now();
    Instant next = now.plus(STANDBY_POLL);
    for (Schedule schedule : schedules) {
      Instant through = settled.get(schedule.name());
      if (through == null) {
        return Duration.ZERO;
      }
      Instant due = schedule.calendar().nextAfter(through);
      if (due.isBefore(next)) {
        next = due;
      }
    }
    return next.isAfter(now) ? Duration.between(now, next) : Duration.ZERO;
  }

  private void closePublisher() {
    if (publisher != null) {
      publisher.close();
      publisher = null;
    }
    loadUntil = -1;
  }

  /** Partition 0 of the state topic is the right to fire. */
  private final class Leadership implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.contains(statePartition)) {
        assigned = true;
        LOG.info("This instance ({}) fires the schedules now", instance.getInstanceId());
      } else if (!assigned) {
        status.become(Role.STANDBY, null);
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.contains(statePartition)) {
        assigned = false;
        closePublisher();
        status.become(Role.STANDBY, null);
        LOG.info("This instance ({}) no longer fires the schedules", instance.getInstanceId());
      }
    }
  }

  @PreDestroy
  @Override
  public void close() throws InterruptedException {
    Thread firing;
    synchronized (this) {
      stopping.countDown();
      firing = thread;
    }
    if (firing != null) {
      // No interrupt: it could strike while the thread closes its consumer, which must leave the
      // group so that a standby takes over at once.
      KafkaConsumer<byte[], byte[]> polling = consumer;
      if (polling != null) {
        polling.wakeup();
      }
      firing.join(Duration.ofSeconds(10));
    }
  }
}
