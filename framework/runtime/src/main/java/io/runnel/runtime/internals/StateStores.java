package io.runnel.runtime.internals;

import io.runnel.runtime.internals.DeadLetterPublisher.Stage;
import io.runnel.support.FunctionDescriptor;
import io.runnel.support.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one run of a function: the local copy of each of its keyed stores ({@link
 * StorePartitions}) and its {@link GlobalTableReader}s. The consumer loop calls it on its poll
 * thread: when partitions are assigned, each store's changelog partitions are read before {@code
 * poll} returns any of their records; when they are revoked (after their records were committed) or
 * lost, they are dropped; after an aborted transaction, all are read again, since the local copy
 * holds writes that were aborted.
 */
final class StateStores implements AssignedState, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StateStores.class);

  private final FunctionDescriptor function;
  private final StateValues values;
  private final Map<String, StorePartitions> stores = new LinkedHashMap<>();
  private final Map<String, StorePartitions> byChangelog = new LinkedHashMap<>();
  private final Map<String, GlobalTableReader> globalTables = new LinkedHashMap<>();
  private final Consumer<byte[], byte[]> restoreConsumer;

  StateStores(FunctionDescriptor function, StateValues values, Consumer<byte[], byte[]> restorer) {
    this.function = function;
    this.values = values;
    this.restoreConsumer = restorer;
    for (String store : function.stores()) {
      StorePartitions partitions = new StorePartitions(store);
      stores.put(store, partitions);
      byChangelog.put(function.changelogTopicOf(store), partitions);
    }
  }

  /**
   * The state of {@code function}: a restore consumer when it has stores ({@code read_committed}
   * for an exactly-once function, whose aborted writes must not come back), and its global tables,
   * each read to its end here.
   */
  static StateStores open(FunctionDescriptor function, KafkaSettings kafka, StateValues values) {
    Consumer<byte[], byte[]> restorer = null;
    if (!function.stores().isEmpty()) {
      Map<String, Object> config = kafka.manualCommitConsumerConfig(null);
      config.put(ConsumerConfig.CLIENT_ID_CONFIG, "runnel-" + function.name() + "-restore");
      config.put(
          ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          function.exactlyOnce() ? "read_committed" : "read_uncommitted");
      restorer =
          new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
    StateStores state = new StateStores(function, values, restorer);
    try {
      for (String table : function.globalTables()) {
        state.globalTables.put(table, new GlobalTableReader(kafka, table, function.name()));
      }
    } catch (RuntimeException e) {
      state.close();
      throw e;
    }
    return state;
  }

  /** Reads the changelog partitions of the newly assigned {@code partitions} into the stores. */
  @Override
  public void assigned(Collection<TopicPartition> partitions) {
    if (stores.isEmpty() || partitions.isEmpty()) {
      return;
    }
    long started = System.nanoTime();
    List<TopicPartition> changelogs = new ArrayList<>();
    for (Map.Entry<String, StorePartitions> store : byChangelog.entrySet()) {
      for (TopicPartition partition : partitions) {
        store.getValue().restoring(partition.partition());
        changelogs.add(new TopicPartition(store.getKey(), partition.partition()));
      }
    }
    long read = TopicReplay.readToEnd(restoreConsumer, changelogs, this::restored);
    restoreConsumer.assign(List.of());
    LOG.info(
        "Function {}: stores {} restored for partitions {} from {} changelog records in {} ms",
        function.name(),
        stores.keySet(),
        partitions.stream().map(TopicPartition::partition).sorted().toList(),
        read,
        (System.nanoTime() - started) / 1_000_000);
  }

  private void restored(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() != null) {
      byChangelog.get(record.topic()).apply(record.partition(), record.key(), record.value());
    }
  }

  /** Forgets the state of {@code partitions}: revoked or lost, their state is elsewhere now. */
  @Override
  public void dropped(Collection<TopicPartition> partitions) {
    for (StorePartitions store : stores.values()) {
      partitions.forEach(partition -> store.drop(partition.partition()));
    }
  }

  /**
   * Reads every held partition again from the changelogs: an aborted transaction took back writes
   * the local copy already has.
   */
  @Override
  public void reload(Collection<TopicPartition> held) {
    dropped(held);
    assigned(held);
  }

  /** The state one invocation for {@code record} sees. */
  RecordState forRecord(ConsumerRecord<byte[], byte[]> record) {
    return new RecordState(this, record);
  }

  String functionName() {
    return function.name();
  }

  StateValues values() {
    return values;
  }

  /** The store {@code name}, or a failure naming it and the stores the function declares. */
  StorePartitions store(String name) {
    StorePartitions store = stores.get(name);
    if (store == null) {
      throw new StateAccessException(
          Stage.INVOKE,
          "Function "
              + function.name()
              + " uses store '"
              + name
              + "', which it does not declare (stores: "
              + stores.keySet()
              + "): add it to @EventFunction(stores = ...) or runnel.functions."
              + function.name()
              + ".stores",
          null);
    }
    return store;
  }

  String changelogTopicOf(String store) {
    return function.changelogTopicOf(store);
  }

  /** The global table of {@code topic}, or a failure naming it and the tables declared. */
  GlobalTableReader globalTable(String topic) {
    GlobalTableReader table = globalTables.get(topic);
    if (table == null) {
      throw new StateAccessException(
          Stage.INVOKE,
          "Function "
              + function.name()
              + " reads global table '"
              + topic
              + "', which it does not declare (global tables: "
              + globalTables.keySet()
              + "): add it to @EventFunction(globalTables = ...) or runnel.functions."
              + function.name()
              + ".global-tables",
          null);
    }
    return table;
  }

  @Override
  public void close() {
    globalTables.values().forEach(GlobalTableReader::close);
    if (restoreConsumer != null) {
      restoreConsumer.close(Duration.ofSeconds(5));
    }
  }
}
