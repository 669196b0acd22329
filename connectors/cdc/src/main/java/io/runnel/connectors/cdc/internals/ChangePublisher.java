package io.runnel.connectors.cdc.internals;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.SchemaRegistryException;
import io.runnel.registry.SubjectNameStrategy;
import io.runnel.registry.serde.AvroSerializer;
import io.runnel.support.ComponentStatus;
import io.runnel.support.CounterFamily;
import io.runnel.support.RecordTracing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Receives Debezium's batches of changes, publishes each as an Avro record (key: the primary key),
 * and only once Kafka acknowledged the whole batch marks it processed, so Debezium stores the
 * position and lets PostgreSQL release the WAL. A send that fails stops the engine before anything
 * is acknowledged: at-least-once, the batch is read again after the restart. Each change starts a
 * trace of its own.
 */
final class ChangePublisher
    implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

  private final KafkaProducer<byte[], byte[]> producer;
  private final SchemaRegistryClient registry;
  private final AvroSerializer keys;
  private final AvroSerializer values;
  private final ConnectToAvro avro;
  private final ChangeShaper shaper;
  private final String heartbeatTopicPrefix;
  private final String topicPrefix;
  private final ComponentStatus<CdcConnector.State> status;
  private final CounterFamily changesByTable;
  private final RecordTracing tracing;

  ChangePublisher(
      KafkaProducer<byte[], byte[]> producer,
      SchemaRegistryClient registry,
      ChangeShaper shaper,
      ConnectToAvro avro,
      String heartbeatTopicPrefix,
      String topicPrefix,
      ComponentStatus<CdcConnector.State> status,
      CounterFamily changesByTable,
      RecordTracing tracing) {
    this.producer = producer;
    this.registry = registry;
    this.keys = new AvroSerializer(registry, SubjectNameStrategy.TOPIC_NAME, true, true);
    this.values = new AvroSerializer(registry, SubjectNameStrategy.TOPIC_NAME, true, false);
    this.avro = avro;
    this.shaper = shaper;
    this.heartbeatTopicPrefix = heartbeatTopicPrefix;
    this.topicPrefix = topicPrefix;
    this.status = status;
    this.changesByTable = changesByTable;
    this.tracing = tracing;
  }

  @Override
  public void handleBatch(
      List<RecordChangeEvent<SourceRecord>> events,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
      throws InterruptedException {
    List<Future<RecordMetadata>> sends = new ArrayList<>(events.size());
    int changes = 0;
    Map<String, Integer> rowChangesByTable = new HashMap<>();
    for (RecordChangeEvent<SourceRecord> event : events) {
      SourceRecord change = event.record();
      // Heartbeats only move the stored position forward; they are not events.
      if (!change.topic().startsWith(heartbeatTopicPrefix)) {
        ProducerRecord<byte[], byte[]> record = toKafka(change);
        tracing.startEvent(record.topic(), record.headers());
        sends.add(producer.send(record));
        changes++;
        if (change.value() != null) { // not the tombstone that follows a delete
          rowChangesByTable.merge(table(change.topic()), 1, Integer::sum);
        }
      }
    }
    for (Future<RecordMetadata> send : sends) {
      try {
        send.get();
      } catch (ExecutionException e) {
        throw new ConnectException(
            "Kafka did not acknowledge a change; nothing of this batch is acknowledged to"
                + " PostgreSQL: "
                + e.getCause(),
            e.getCause());
      }
    }
    for (RecordChangeEvent<SourceRecord> event : events) {
      committer.markProcessed(event);
    }
    committer.markBatchFinished();
    status.progressed(CdcConnector.State.STREAMING, CdcConnector.CHANGES_PUBLISHED, changes);
    rowChangesByTable.forEach((table, count) -> changesByTable.increment(count, table));
  }

  /** {@code schema.table} of a topic named {@code <prefix>.<schema>.<table>}; else the topic. */
  private String table(String topic) {
    return topic.startsWith(topicPrefix + ".") ? topic.substring(topicPrefix.length() + 1) : topic;
  }

  private ProducerRecord<byte[], byte[]> toKafka(SourceRecord change) {
    String topic = change.topic();
    byte[] key =
        change.key() == null ? null : keys.serialize(topic, avro.record((Struct) change.key()));
    if (change.value() == null) {
      return new ProducerRecord<>(topic, key, null); // the tombstone after a delete
    }
    GenericData.Record value = shaper.value((Struct) change.value());
    try {
      return new ProducerRecord<>(topic, key, values.serialize(topic, value));
    } catch (SerializationException e) {
      if (!(e.getCause() instanceof SchemaRegistryException refused)
          || refused.errorCode() != SchemaRegistryException.INCOMPATIBLE_SCHEMA) {
        throw e;
      }
      throw new ConnectException(
          "The registry refused the new schema of "
              + topic
              + "-value, so the stream stops here and nothing after it is acknowledged: "
              + incompatibilities(topic + "-value", value.getSchema())
              + " (registry: "
              + refused.getMessage()
              + ")",
          e);
    }
  }

  /** Names the columns whose change the registry refused, e.g. {@code column 'price': ...}. */
  private String incompatibilities(String subject, Schema proposed) {
    try {
      // Compare the rows themselves: in the envelope shape, Avro reports a changed row only as
      // a union branch of before/after, without the column.
      Schema row = row(proposed);
      Schema latest = row(registry.getLatestVersion(subject).schema());
      return SchemaCompatibility.checkReaderWriterCompatibility(row, latest)
          .getResult()
          .getIncompatibilities()
          .stream()
          .map(incompatibility -> describe(row, incompatibility))
          .collect(Collectors.joining("; "));
    } catch (RuntimeException e) {
      return "(could not compare with the registered schema: " + e.getMessage() + ")";
    }
  }

  private static Schema row(Schema value) {
    Schema.Field after = value.getField("after");
    return after == null ? value : ConnectToAvro.nonNull(after.schema());
  }

  private static String describe(
      Schema proposed, SchemaCompatibility.Incompatibility incompatibility) {
    String[] path = incompatibility.getLocation().split("/");
    String column = "?";
    if (path.length > 2 && path[1].equals("fields")) {
      column = proposed.getFields().get(Integer.parseInt(path[2])).name();
    }
    return "column '" + column + "': " + incompatibility.getMessage();
  }
}
