package io.runnel.runtime.internals;

import java.util.Collection;
import org.apache.kafka.common.TopicPartition;

/**
 * What a consumer keeps per assigned partition besides offsets: a function's {@link StateStores}.
 * The consumer loop calls it on its poll thread as partitions come and go, and an exactly-once
 * commit after it aborted a transaction.
 */
interface AssignedState {

  /** For functions without stores. */
  AssignedState NONE =
      new AssignedState() {
        @Override
        public void assigned(Collection<TopicPartition> partitions) {}

        @Override
        public void dropped(Collection<TopicPartition> partitions) {}

        @Override
        public void reload(Collection<TopicPartition> partitions) {}
      };

  /** Loads the state of {@code partitions}, before any of their records is handled. */
  void assigned(Collection<TopicPartition> partitions);

  /** Forgets the state of {@code partitions}, which this consumer no longer owns. */
  void dropped(Collection<TopicPartition> partitions);

  /** Loads {@code partitions} again: writes in the local state were aborted. */
  void reload(Collection<TopicPartition> partitions);
}
