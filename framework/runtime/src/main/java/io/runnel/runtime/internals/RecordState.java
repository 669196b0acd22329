package io.runnel.runtime.internals;

import io.runnel.function.GlobalTable;
import io.runnel.function.KeyedStore;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The state one invocation attempt sees for its record's key: reads go to the local copy, writes
 * are held here (and seen by the attempt's own reads) until {@link #flush}, which the record's
 * processor calls once the invocation succeeded. So a failed or timed-out attempt changes nothing.
 */
final class RecordState {

  /** A write held until the invocation succeeds: the value as given and encoded, or a delete. */
  private record Write(Object value, byte[] encoded) {}

  private final StateStores stores;
  private final ConsumerRecord<byte[], byte[]> record;
  private final Map<String, Write> writes = new LinkedHashMap<>();

  RecordState(StateStores stores, ConsumerRecord<byte[], byte[]> record) {
    this.stores = stores;
    this.record = record;
  }

  <V> KeyedStore<V> store(String name, Class<V> type) {
    StorePartitions partitions = stores.store(name);
    if (record.key() == null) {
      throw new IllegalStateException(
          "Function "
              + stores.functionName()
              + " uses store '"
              + name
              + "' for a record without a key ("
              + record.topic()
              + "-"
              + record.partition()
              + "@"
              + record.offset()
              + "): keyed state needs a key");
    }
    String changelog = stores.changelogTopicOf(name);
    return new KeyedStore<>() {
      @Override
      public V get() {
        Write write = writes.get(name);
        if (write != null) {
          return write.value() == null ? null : type.cast(write.value());
        }
        return stores
            .values()
            .decode(changelog, key(), partitions.get(record.partition(), record.key()), type);
      }

      @Override
      public void put(V value) {
        Objects.requireNonNull(value, "put(null): use delete() to remove a value");
        writes.put(name, new Write(value, stores.values().encode(changelog, value)));
      }

      @Override
      public void delete() {
        writes.put(name, new Write(null, null));
      }
    };
  }

  <V> GlobalTable<V> globalTable(String topic, Class<V> type) {
    GlobalTableReader table = stores.globalTable(topic);
    return key -> stores.values().decode(topic, key, table.get(key), type);
  }

  /**
   * Sends the held writes to the changelogs as part of {@code work} (whose offset is committed only
   * once they are acknowledged), then applies them to the local copy, where the next record of the
   * key reads them.
   */
  void flush(OutputProducer producer, RecordWork work) {
    writes.forEach(
        (name, write) -> {
          producer.send(
              new ProducerRecord<>(
                  stores.changelogTopicOf(name), record.partition(), record.key(), write.encoded()),
              work);
          stores.store(name).apply(record.partition(), record.key(), write.encoded());
        });
    writes.clear();
  }

  private String key() {
    return new String(record.key(), StandardCharsets.UTF_8);
  }
}
