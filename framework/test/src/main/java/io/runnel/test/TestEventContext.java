package io.runnel.test;

import io.runnel.function.Emitter;
import io.runnel.function.EventContext;
import io.runnel.function.GlobalTable;
import io.runnel.function.KeyedStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * An {@link EventContext} for calling a handler in a plain unit test, without a broker or a
 * context: it describes a record of your choosing, and its {@link Emitter} records what the handler
 * emitted instead of publishing it.
 *
 * <pre>{@code
 * TestEventContext context = TestEventContext.forKey("d-1").withTopic("iot.telemetry");
 * function.handle(reading, context);
 * assertThat(context.emitted()).extracting(TestEventContext.Emitted::topic).containsExactly("iot.alerts");
 * }</pre>
 *
 * <p>Its stores hold one value per store (the record's key's), set with {@link #withStoreValue} and
 * read back with {@link #storeValue}; its global tables hold the entries given with {@link
 * #withGlobalTableEntry}.
 *
 * <p>Defaults: topic {@code test}, partition 0, offset 0, the time of creation, no headers,
 * function name {@code test}.
 */
public final class TestEventContext implements EventContext {

  /** One emitted event: where to, with which key, and the value as the handler gave it. */
  public record Emitted(String topic, String key, Object value) {

    /** The value as {@code type}, e.g. a generated Avro class; fails the test when it is not. */
    public <T> T value(Class<T> type) {
      if (!type.isInstance(value)) {
        throw new AssertionError(
            "Emitted to "
                + topic
                + " a "
                + (value == null ? "null" : value.getClass().getName())
                + ", not a "
                + type.getName());
      }
      return type.cast(value);
    }
  }

  private final String key;
  private String topic = "test";
  private int partition;
  private long offset;
  private Instant timestamp = Instant.now();
  private String functionName = "test";
  private final RecordHeaders headers = new RecordHeaders();
  private final List<Emitted> emitted = Collections.synchronizedList(new ArrayList<>());
  // This record's key's value in each store, and each global table's entries.
  private final Map<String, Object> storeValues = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Object>> globalTables = new ConcurrentHashMap<>();
  private final Emitter emitter =
      new Emitter() {
        @Override
        public void emit(String topic, String key, Object value) {
          emitted.add(new Emitted(topic, key, value));
        }

        @Override
        public void emit(String topic, Object value) {
          emit(topic, TestEventContext.this.key, value);
        }
      };

  private TestEventContext(String key) {
    this.key = key;
  }

  /** A context for a record with {@code key} (may be null). */
  public static TestEventContext forKey(String key) {
    return new TestEventContext(key);
  }

  public TestEventContext withTopic(String topic) {
    this.topic = topic;
    return this;
  }

  public TestEventContext withPartition(int partition) {
    this.partition = partition;
    return this;
  }

  public TestEventContext withOffset(long offset) {
    this.offset = offset;
    return this;
  }

  public TestEventContext withTimestamp(Instant timestamp) {
    this.timestamp = timestamp;
    return this;
  }

  public TestEventContext withFunctionName(String functionName) {
    this.functionName = functionName;
    return this;
  }

  /** Adds a header with a UTF-8 text value. */
  public TestEventContext withHeader(String name, String value) {
    headers.add(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** Sets the value the record's key has in {@code store} when the handler runs. */
  public TestEventContext withStoreValue(String store, Object value) {
    storeValues.put(store, value);
    return this;
  }

  /** Adds an entry to the global table of {@code topic}. */
  public TestEventContext withGlobalTableEntry(String topic, String key, Object value) {
    globalTables.computeIfAbsent(topic, t -> new ConcurrentHashMap<>()).put(key, value);
    return this;
  }

  /**
   * The value the record's key has in {@code store} (after the handler ran: what it put), or null.
   */
  public <T> T storeValue(String store, Class<T> type) {
    return type.cast(storeValues.get(store));
  }

  /** What the handler emitted so far, in order. */
  public List<Emitted> emitted() {
    synchronized (emitted) {
      return List.copyOf(emitted);
    }
  }

  /** The values emitted to {@code topic}, in order, as {@code type}. */
  public <T> List<T> emittedValues(String topic, Class<T> type) {
    return emitted().stream()
        .filter(event -> event.topic().equals(topic))
        .map(event -> event.value(type))
        .toList();
  }

  @Override
  public String key() {
    return key;
  }

  @Override
  public byte[] rawKey() {
    return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Headers headers() {
    return headers;
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public int partition() {
    return partition;
  }

  @Override
  public long offset() {
    return offset;
  }

  @Override
  public Instant timestamp() {
    return timestamp;
  }

  @Override
  public String functionName() {
    return functionName;
  }

  @Override
  public Emitter emitter() {
    return emitter;
  }

  /** Any store name works here: declarations are checked by the runtime. */
  @Override
  public <V> KeyedStore<V> store(String name, Class<V> valueType) {
    return new KeyedStore<>() {
      @Override
      public V get() {
        return valueType.cast(storeValues.get(name));
      }

      @Override
      public void put(V value) {
        storeValues.put(name, value);
      }

      @Override
      public void delete() {
        storeValues.remove(name);
      }
    };
  }

  @Override
  public <V> GlobalTable<V> globalTable(String topic, Class<V> valueType) {
    return key -> valueType.cast(globalTables.getOrDefault(topic, Map.of()).get(key));
  }
}
