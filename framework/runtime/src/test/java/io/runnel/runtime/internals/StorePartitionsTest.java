package io.runnel.runtime.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StorePartitionsTest {

  private final StorePartitions store = new StorePartitions("counts");

  @Test
  void restoreKeepsTheLastValueOfEachKeyAndTombstonesRemoveIt() {
    store.restoring(0);
    store.apply(0, bytes("a"), bytes("1"));
    store.apply(0, bytes("b"), bytes("1"));
    store.apply(0, bytes("a"), bytes("2"));
    store.apply(0, bytes("b"), null);
    assertThat(store.get(0, bytes("a"))).isEqualTo(bytes("2"));
    assertThat(store.get(0, bytes("b"))).isNull();
    assertThat(store.size(0)).isEqualTo(1);
  }

  @Test
  void partitionsHoldTheirOwnKeys() {
    store.restoring(0);
    store.restoring(1);
    store.apply(0, bytes("a"), bytes("in 0"));
    store.apply(1, bytes("a"), bytes("in 1"));
    assertThat(store.get(0, bytes("a"))).isEqualTo(bytes("in 0"));
    assertThat(store.get(1, bytes("a"))).isEqualTo(bytes("in 1"));
  }

  @Test
  void aDroppedPartitionIsNotReadNorWritten() {
    store.restoring(3);
    store.apply(3, bytes("a"), bytes("1"));
    store.drop(3);
    assertThat(store.holds(3)).isFalse();
    assertThatThrownBy(() -> store.get(3, bytes("a")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Store counts does not hold partition 3");
    assertThatThrownBy(() -> store.apply(3, bytes("a"), bytes("2")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void restoringAgainStartsFromNothing() {
    store.restoring(0);
    store.apply(0, bytes("aborted"), bytes("1"));
    store.restoring(0); // after an aborted transaction the changelog is read again
    assertThat(store.get(0, bytes("aborted"))).isNull();
    assertThat(store.size(0)).isZero();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
