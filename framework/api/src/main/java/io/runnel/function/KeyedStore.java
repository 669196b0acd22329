package io.runnel.function;

/**
 * A function's named store, seen from one invocation: the value kept for the key of the record
 * being handled, read and written by {@link EventContext#store}. Values are Avro records, encoded
 * through the schema registry like events. Records with the same key run one after another, so
 * reading, changing and writing a value needs no lock.
 *
 * <p>Writes take effect when the invocation returns: an attempt that throws changes nothing, and a
 * retried invocation sees the value as it was before. Within one attempt, {@link #get()} sees the
 * attempt's own writes. The input record's offset is committed only once Kafka acknowledged the
 * write to the store's changelog topic (with exactly-once, in the same transaction).
 *
 * @param <V> the generated Avro class of the values, or {@code GenericRecord}
 */
public interface KeyedStore<V> {

  /** The value for the record's key, or null when there is none. */
  V get();

  /** Replaces the value for the record's key. */
  void put(V value);

  /** Removes the value for the record's key. */
  void delete();
}
