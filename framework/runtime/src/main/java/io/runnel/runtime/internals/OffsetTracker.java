package io.runnel.runtime.internals;

import java.util.ArrayDeque;
import java.util.OptionalLong;

/**
 * Which offsets of one partition may be committed: the records taken from the partition in offset
 * order, each finished or not. The committable offset is the one after the longest finished prefix,
 * so a finished record behind an unfinished one is never committed past (it is handled again after
 * a restart: at-least-once, never skipped).
 *
 * <p>Only the poll thread calls it; workers mark records finished through {@link RecordWork}
 * without locking.
 */
final class OffsetTracker {

  private final ArrayDeque<RecordWork> taken = new ArrayDeque<>();
  private long nextToCommit = -1;
  private long lastCommitted = -1;

  /** Adds a record taken from the partition; records come in increasing offset order. */
  void taken(RecordWork work) {
    taken.addLast(work);
  }

  /**
   * The offset to commit (the next record to handle after a restart), if it moved since the last
   * {@link #committed}; finished records at the head are forgotten.
   */
  OptionalLong committable() {
    while (!taken.isEmpty() && taken.peekFirst().isFinished()) {
      nextToCommit = taken.pollFirst().offset() + 1;
    }
    return nextToCommit > lastCommitted ? OptionalLong.of(nextToCommit) : OptionalLong.empty();
  }

  /** Records that the offset was committed. */
  void committed(long offset) {
    lastCommitted = Math.max(lastCommitted, offset);
  }

  /** Records taken and not yet forgotten: unfinished ones and finished ones behind them. */
  int buffered() {
    return taken.size();
  }

  /** The first record taken and not finished, or null when every taken record is finished. */
  RecordWork firstUnfinished() {
    committable();
    return taken.peekFirst();
  }

  /** Whether every taken record is finished. */
  boolean drained() {
    committable();
    return taken.isEmpty();
  }
}
