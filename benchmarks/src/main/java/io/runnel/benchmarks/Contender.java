package io.runnel.benchmarks;

/** One way of consuming a workload, run against the shared broker with a fresh group. */
interface Contender {

  String name();

  /**
   * Starts consuming {@code workload} as consumer group {@code group}, publishing outputs to {@code
   * outputTopic}; returns something to close once the group has committed every event.
   */
  AutoCloseable start(
      Workload workload,
      BenchmarkCluster cluster,
      String group,
      String outputTopic,
      OrderChecker order)
      throws Exception;
}
