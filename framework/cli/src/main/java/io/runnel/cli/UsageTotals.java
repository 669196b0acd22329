package io.runnel.cli;

import io.runnel.usage.UsageRecord;
import java.util.HashSet;
import java.util.Set;

/** One function's usage summed over the usage records of a time range and of every instance. */
final class UsageTotals {

  final String function;
  long invocations;
  long failures;
  long busyNanos;
  long recordsIn;
  long bytesIn;
  long recordsOut;
  long bytesOut;
  final Set<String> instances = new HashSet<>();

  UsageTotals(String function) {
    this.function = function;
  }

  void add(UsageRecord record) {
    invocations += record.getInvocations();
    failures += record.getFailures();
    busyNanos += record.getBusyNanos();
    recordsIn += record.getRecordsIn();
    bytesIn += record.getBytesIn();
    recordsOut += record.getRecordsOut();
    bytesOut += record.getBytesOut();
    instances.add(record.getInstanceId());
  }

  /** The handler's time in seconds, to the millisecond, as printed. */
  String busySeconds() {
    return java.math.BigDecimal.valueOf(busyNanos, 9)
        .setScale(3, java.math.RoundingMode.HALF_UP)
        .toPlainString();
  }
}
