package io.runnel.function;

/** Which records of a function may be handled at the same time. */
public enum Ordering {
  /**
   * Records with the same key (in the same partition) are handled one after another, in offset
   * order; different keys run concurrently. Records without a key are ordered per partition.
   */
  KEY,
  /** Records of one partition are handled one after another; partitions run concurrently. */
  PARTITION,
  /** Any records may run concurrently; offsets are still committed only for finished work. */
  UNORDERED
}
