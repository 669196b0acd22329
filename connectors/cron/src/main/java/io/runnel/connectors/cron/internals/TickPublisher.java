package io.runnel.connectors.cron.internals;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.SubjectNameStrategy;
import io.runnel.registry.serde.AvroSerializer;
import io.runnel.schedule.ScheduleTick;
import io.runnel.support.CounterFamily;
import io.runnel.support.KafkaClientMeters;
import io.runnel.support.KafkaSettings;
import io.runnel.support.RecordTracing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The firing instance's transactional producer. Its transactional id is the same on every instance,
 * so creating it fences the previous firing instance and aborts whatever tick that one had not
 * committed; each publish commits the ticks together with the new state of their schedules, so a
 * tick is in its topic exactly when the state says it was published. Each tick starts a trace.
 */
final class TickPublisher implements AutoCloseable {

  static final String INSTANCE_HEADER = "runnel.schedule.instance";

  private final KafkaProducer<byte[], byte[]> producer;
  private final AvroSerializer serializer;
  private final String stateTopic;
  private final byte[] instanceId;
  private final CounterFamily ticks;
  private final KafkaClientMeters producerMeters;
  private final RecordTracing tracing;

  /**
   * Creates the producer and fences the previous one; blocks until Kafka answered.
   *
   * @param autoRegister whether the tick schema is registered on first use; when false it must be
   *     registered under each schedule topic's subject, and publishing fails until it is
   */
  TickPublisher(
      KafkaSettings kafka,
      SchemaRegistryClient registry,
      boolean autoRegister,
      String transactionalId,
      String stateTopic,
      String instanceId,
      @Nullable MeterRegistry meters,
      CounterFamily ticks,
      RecordTracing tracing) {
    Map<String, Object> config = kafka.durableProducerConfig("runnel-scheduler-" + instanceId);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    this.producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    try {
      producer.initTransactions();
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw e;
    }
    this.serializer =
        new AvroSerializer(registry, SubjectNameStrategy.TOPIC_NAME, autoRegister, false);
    this.stateTopic = stateTopic;
    this.instanceId = instanceId.getBytes(StandardCharsets.UTF_8);
    this.ticks = ticks;
    this.producerMeters = KafkaClientMeters.bind(meters, producer);
    this.tracing = tracing;
  }

  /**
   * Publishes the plans' ticks and states in one transaction. Any exception leaves this publisher
   * unusable: close it and create a new one, which reads the state again.
   */
  void publish(Map<Schedule, TickPlan> plans, Instant fireTime) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    plans.forEach(
        (schedule, plan) -> {
          byte[] key = schedule.name().getBytes(StandardCharsets.UTF_8);
          for (Tick tick : plan.ticks()) {
            ScheduleTick value =
                ScheduleTick.newBuilder()
                    .setSchedule(schedule.name())
                    .setScheduledTime(tick.scheduledTime())
                    .setFireTime(fireTime)
                    .setMissedTicks(tick.missedBefore())
                    .build();
            ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(
                    schedule.topic(), key, serializer.serialize(schedule.topic(), value));
            record.headers().add(new RecordHeader(INSTANCE_HEADER, instanceId));
            tracing.startEvent(schedule.topic(), record.headers());
            records.add(record);
          }
          records.add(new ProducerRecord<>(stateTopic, key, ScheduleState.encode(plan)));
        });
    producer.beginTransaction();
    records.forEach(producer::send);
    producer.commitTransaction();
    plans.forEach((schedule, plan) -> ticks.increment(plan.ticks().size(), schedule.name()));
  }

  @Override
  public void close() {
    producer.close(Duration.ZERO);
    producerMeters.close();
  }
}
