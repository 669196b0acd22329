package io.runnel.function;

/**
 * A compacted topic read whole and kept up to date, read-only, for looking up any key (such as the
 * customer of an order, for enrichment) through {@link EventContext#globalTable}. Every instance
 * holds all of it; it is read to its end before the function handles its first record, and follows
 * the topic from then on, so a lookup sees a recent value, not necessarily the newest.
 *
 * @param <V> the generated Avro class of the values, or {@code GenericRecord}
 */
public interface GlobalTable<V> {

  /** The latest value read for {@code key} (the record key as UTF-8 text), or null. */
  V get(String key);
}
