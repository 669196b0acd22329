package io.runnel.runtime.internals;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.utils.Bytes;

/**
 * The local copy of one keyed store: for each input partition this instance holds, the encoded
 * value of each key, as restored from the store's changelog and written since. A partition is
 * {@link #restoring} (emptied, then filled from the changelog by the poll thread) before any of its
 * records run, and {@link #drop}ped when it leaves; reading or writing a partition not held fails,
 * as its state is elsewhere. Handlers of different keys read and write at once.
 */
final class StorePartitions {

  private final String store;
  private final Map<Integer, Map<Bytes, byte[]>> partitions = new ConcurrentHashMap<>();

  StorePartitions(String store) {
    this.store = store;
  }

  /** Starts {@code partition} empty, to be filled by {@link #apply}. */
  void restoring(int partition) {
    partitions.put(partition, new ConcurrentHashMap<>());
  }

  /**
   * Sets the encoded value of {@code key} in {@code partition}; a null value (a tombstone) removes
   * it.
   */
  void apply(int partition, byte[] key, byte[] value) {
    Map<Bytes, byte[]> values = held(partition);
    if (value == null) {
      values.remove(Bytes.wrap(key));
    } else {
      values.put(Bytes.wrap(key), value);
    }
  }

  /** The encoded value of {@code key} in {@code partition}, or null. */
  byte[] get(int partition, byte[] key) {
    return held(partition).get(Bytes.wrap(key));
  }

  /** Forgets {@code partition}: it was revoked or lost. */
  void drop(int partition) {
    partitions.remove(partition);
  }

  boolean holds(int partition) {
    return partitions.containsKey(partition);
  }

  /** How many keys {@code partition} holds. */
  int size(int partition) {
    return held(partition).size();
  }

  private Map<Bytes, byte[]> held(int partition) {
    Map<Bytes, byte[]> values = partitions.get(partition);
    if (values == null) {
      throw new IllegalStateException(
          "Store " + store + " does not hold partition " + partition + " on this instance");
    }
    return values;
  }
}
