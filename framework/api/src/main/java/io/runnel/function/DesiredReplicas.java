package io.runnel.function;

/**
 * The replicas (instances) a function's consumer lag calls for, written once for the runtime's
 * {@code runnel_function_desired_replicas} and the {@code runnel lag} command (which uses no module
 * but this one and the registry): one replica per {@code targetLag} records of lag, rounded up, at
 * least one while there is lag and at least {@code minReplicas}, then at most {@code maxReplicas}
 * and never more than the partitions read (a consumer without a partition idles).
 */
public final class DesiredReplicas {

  private DesiredReplicas() {}

  /**
   * The replicas for {@code lag} records behind, with {@code targetLag} (positive) records per
   * replica.
   */
  public static int of(long lag, long targetLag, int minReplicas, int maxReplicas, int partitions) {
    long needed = lag <= 0 ? 0 : Math.max(1, (lag - 1) / targetLag + 1);
    long desired = Math.min(Math.max(needed, minReplicas), maxReplicas);
    return (int) Math.min(desired, partitions);
  }
}
