package io.runnel.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The replicas a function's lag calls for. */
class FunctionScalingTest {

  private static final FunctionScaling PER_100 = new FunctionScaling(100, 1, OptionalInt.empty());

  @Test
  void oneReplicaPerTargetLagRoundedUp() {
    assertThat(PER_100.desiredReplicas(100, 12)).isEqualTo(1);
    assertThat(PER_100.desiredReplicas(101, 12)).isEqualTo(2);
    assertThat(PER_100.desiredReplicas(750, 12)).isEqualTo(8);
  }

  @Test
  void anyLagCallsForAtLeastOneReplicaEvenBelowTheTarget() {
    FunctionScaling toZero = new FunctionScaling(100, 0, OptionalInt.empty());

    assertThat(toZero.desiredReplicas(1, 12)).isEqualTo(1);
    assertThat(toZero.desiredReplicas(0, 12)).isZero();
  }

  @Test
  void withoutLagTheMinimumReplicasRemain() {
    assertThat(PER_100.desiredReplicas(0, 12)).isEqualTo(1);
    assertThat(new FunctionScaling(100, 3, OptionalInt.empty()).desiredReplicas(0, 12))
        .isEqualTo(3);
    assertThat(new FunctionScaling(100, 3, OptionalInt.empty()).desiredReplicas(500, 12))
        .isEqualTo(5);
  }

  @Test
  void neverMoreThanThePartitionsOrTheMaximum() {
    assertThat(PER_100.desiredReplicas(10_000, 6)).isEqualTo(6);
    assertThat(new FunctionScaling(100, 1, OptionalInt.of(4)).desiredReplicas(10_000, 6))
        .isEqualTo(4);
    assertThat(new FunctionScaling(100, 8, OptionalInt.empty()).desiredReplicas(0, 6)).isEqualTo(6);
  }

  @Test
  void aHugeLagDoesNotOverflow() {
    assertThat(new FunctionScaling(1, 0, OptionalInt.empty()).desiredReplicas(Long.MAX_VALUE, 6))
        .isEqualTo(6);
  }
}
