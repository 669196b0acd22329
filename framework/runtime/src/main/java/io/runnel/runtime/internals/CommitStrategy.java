package io.runnel.runtime.internals;

import java.util.Collection;
import org.apache.kafka.common.TopicPartition;

/**
 * How a function's finished records are committed, chosen once at start by its delivery guarantee:
 * {@link AsyncOffsetCommits} for at-least-once, {@link TransactionalCommits} for exactly-once. The
 * {@link ConsumerLoop} decides when (at the commit interval, when a burst is done, on revoke and on
 * shutdown); the strategy decides what that means. Only the poll thread calls it.
 */
interface CommitStrategy {

  /** Commits what finished since the last commit, without stopping the consumer for long. */
  void commit();

  /**
   * Before {@code partitions} move to another consumer: lets their records finish and commits them.
   */
  void commitRevoked(Collection<TopicPartition> partitions);

  /** On shutdown, once no more records are taken: lets them finish and commits them. */
  void commitBeforeLeaving();
}
