package io.runnel.connectors.cdc;

/** How a change is written to Kafka. */
public enum CdcShape {
  /**
   * The row's columns plus {@code __op}, {@code __lsn}, {@code __ts_ms} and {@code __deleted}; a
   * delete carries the old row and is followed by a tombstone. The default: what ETL sinks want.
   */
  FLAT,
  /** Debezium's envelope: {@code before}, {@code after}, {@code op} and {@code source}. */
  ENVELOPE
}
