package io.runnel.connectors.cdc;

/** Whether the tables' existing rows are read before streaming changes. */
public enum CdcSnapshotMode {
  /** Read every row once, on the first start (no stored offset yet), then stream. */
  INITIAL,
  /** Only stream changes made after the slot was created. */
  NEVER,
  /** Read every row whenever no usable offset is stored (first start, or the slot was lost). */
  WHEN_NEEDED
}
