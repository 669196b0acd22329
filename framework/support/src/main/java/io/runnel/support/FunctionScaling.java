package io.runnel.support;

import io.runnel.function.DesiredReplicas;
import java.util.OptionalInt;

/**
 * How many replicas (instances) of a function its lag calls for, under {@code
 * runnel.functions.<name>.scaling.*}: one replica per {@code targetLag} records of lag, between
 * {@code minReplicas} and {@code maxReplicas}, and never more than the partitions it reads (a
 * consumer without a partition idles).
 *
 * @param targetLag records of lag one replica is expected to work off ({@code scaling.target-lag})
 * @param minReplicas replicas while there is no lag; 0 lets the function scale to zero ({@code
 *     scaling.min-replicas})
 * @param maxReplicas the most replicas, or empty for the partition count alone ({@code
 *     scaling.max-replicas})
 */
public record FunctionScaling(long targetLag, int minReplicas, OptionalInt maxReplicas) {

  /** Lag records per replica when {@code scaling.target-lag} is not set. */
  public static final long DEFAULT_TARGET_LAG = 1000;

  /** Replicas without lag when {@code scaling.min-replicas} is not set. */
  public static final int DEFAULT_MIN_REPLICAS = 1;

  /**
   * The replicas {@code lag} records call for ({@link DesiredReplicas}): {@code ceil(lag /
   * targetLag)}, at least 1 while there is lag and at least {@code minReplicas}, then capped by
   * {@code maxReplicas} and {@code partitions}.
   */
  public int desiredReplicas(long lag, int partitions) {
    return DesiredReplicas.of(
        lag, targetLag, minReplicas, maxReplicas.orElse(Integer.MAX_VALUE), partitions);
  }
}
