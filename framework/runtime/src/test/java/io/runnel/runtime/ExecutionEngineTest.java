package io.runnel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.runnel.examples.iot.SensorReading;
import io.runnel.test.Await;
import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@RunnelTest(properties = {EngineTestFunctions.SUITE, "runnel.kafka.consumer.max.poll.records=10"})
class ExecutionEngineTest {

  static SensorReading reading(String device, double sequence) {
    return SensorReading.newBuilder()
        .setDeviceId(device)
        .setTimestamp(Instant.now())
        .setTemperatureC(sequence)
        .build();
  }

  @Test
  void recordsOfAKeyAreHandledInOrderWhileKeysRunConcurrently(
      RunnelTestKit kit, ApplicationContext context) {
    EngineTestFunctions.OrderedFunction function =
        context.getBean(EngineTestFunctions.OrderedFunction.class);
    List<Map.Entry<String, Object>> readings = new ArrayList<>();
    for (int sequence = 0; sequence < 20; sequence++) {
      for (int device = 0; device < 30; device++) {
        readings.add(Map.entry("device-" + device, reading("device-" + device, sequence)));
      }
    }
    kit.sendAll("eng.ordered", readings);
    Await.until(
        "600 readings handled",
        () -> function.sequenceByDevice.values().stream().mapToInt(List::size).sum() == 600);
    List<Double> expected = IntStream.range(0, 20).mapToObj(i -> (double) i).toList();
    assertThat(function.sequenceByDevice).hasSize(30);
    function.sequenceByDevice.forEach(
        (device, sequence) -> assertThat(sequence).as(device).containsExactlyElementsOf(expected));
    assertThat(function.concurrency.max.get()).as("most invocations at once").isGreaterThan(1);
  }

  @Test
  void aHangingHandlerTimesOutAndGoesToTheDeadLetterTopicWhileOtherKeysFlow(
      RunnelTestKit kit, ApplicationContext context) {
    EngineTestFunctions.HangingFunction function =
        context.getBean(EngineTestFunctions.HangingFunction.class);
    kit.send("eng.hang", "hangs", reading("hangs", 1));
    for (int i = 0; i < 20; i++) {
      kit.send("eng.hang", "flows-" + i, reading("flows-" + i, i));
    }
    // Other keys do not wait for the hanging one.
    Await.until("the 20 other keys handled", () -> function.handled.size() == 20);
    // Sending the 20 may take longer than one 300 ms timeout: the retry may have begun.
    assertThat(function.hangs.get()).isBetween(1, 2);

    ReceivedRecord dead = kit.awaitRecords("eng.hang.dlq", 1, r -> true).get(0);
    assertThat(dead.key()).isEqualTo("hangs");
    assertThat(dead.header("runnel.error.exception.class"))
        .isEqualTo("io.runnel.function.InvocationTimeoutException");
    assertThat(dead.header("runnel.error.exception.message")).contains("300 ms");
    assertThat(dead.header("runnel.error.attempts")).isEqualTo("2");
    assertThat(function.hangs.get()).isEqualTo(2);
  }

  @Test
  void theConsumerPausesAtTheBufferBoundAndResumesAsWorkDrains(
      RunnelTestKit kit, ApplicationContext context) {
    EngineTestFunctions.BoundedFunction function =
        context.getBean(EngineTestFunctions.BoundedFunction.class);
    for (int i = 0; i < 200; i++) {
      kit.send("eng.bounded", "k" + i, reading("k" + i, i));
    }
    Await.until("200 readings handled", () -> function.handled.get() == 200);
    // At most the bound (20) plus one poll (10 records) are ever held, so never more run at once,
    // although 1000 invocations at once would be allowed.
    assertThat(function.concurrency.max.get()).isGreaterThan(1).isLessThanOrEqualTo(30);
  }

  @Test
  void aRecordBackingOffBeforeItsRetryDoesNotHoldTheConcurrencyPermit(
      RunnelTestKit kit, ApplicationContext context) {
    EngineTestFunctions.BackingOffFunction function =
        context.getBean(EngineTestFunctions.BackingOffFunction.class);
    kit.send("eng.backoff", "fails-once", reading("fails-once", 1));
    Await.until("the first call failed", () -> function.failures.get() == 1);
    long failed = System.currentTimeMillis();
    kit.send("eng.backoff", "other", reading("other", 2));
    Await.until(
        "both keys handled",
        () -> function.handledAtMillis.keySet().containsAll(List.of("other", "fails-once")));
    // maxConcurrency = 1: while the first record waits its 3 s backoff, the other key runs.
    assertThat(function.handledAtMillis.get("other"))
        .as("the other key ran before the retry")
        .isLessThan(function.handledAtMillis.get("fails-once"));
    assertThat(function.handledAtMillis.get("fails-once") - failed).isGreaterThanOrEqualTo(2_900);
  }

  @Test
  void failedRecordsMoveThroughRetryTopicsWithoutHoldingTheirPartition(
      RunnelTestKit kit, ApplicationContext context) {
    EngineTestFunctions.RetryingFunction function =
        context.getBean(EngineTestFunctions.RetryingFunction.class);
    // Once the function reads the topic, time how long each record takes.
    kit.send("eng.retry", "warm-up", reading("warm-up", 0));
    Await.until("the warm-up handled", () -> function.handledAtMillis.containsKey("warm-up"));
    long sent = System.currentTimeMillis();
    kit.send("eng.retry", "twice", reading("twice", 1));
    kit.send("eng.retry", "always", reading("always", 2));
    kit.send("eng.retry", "ok", reading("ok", 3));

    Await.until(
        "the third call and the record behind the failures",
        () -> function.handledAtMillis.keySet().containsAll(List.of("twice", "ok")));
    assertThat(function.handledAtMillis.get("ok"))
        .as("the record behind the failures ran before their retries")
        .isLessThan(function.handledAtMillis.get("twice"));
    assertThat(function.handledAtMillis.get("twice") - sent)
        .as("ms until the third call")
        .isGreaterThanOrEqualTo(600);
    assertThat(kit.awaitRecords("eng.retry.retry.1", 2, r -> true))
        .extracting(r -> r.header("runnel.retry.level"))
        .containsOnly("1");

    ReceivedRecord dead = kit.awaitRecords("eng.retry.dlq", 1, r -> true).get(0);
    assertThat(dead.key()).isEqualTo("always");
    assertThat(dead.header("runnel.error.original.topic")).isEqualTo("eng.retry");
    assertThat(dead.header("runnel.error.exception.message")).isEqualTo("always failed call 3");
    assertThat(function.calls.get("always")).hasValue(3);
    // Its trace runs on through the retry topic to the dead letter, in a span per step.
    String retried =
        kit.awaitRecords("eng.retry.retry.1", 1, r -> "always".equals(r.key()))
            .get(0)
            .header("traceparent");
    assertThat(retried).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(dead.header("traceparent"))
        .startsWith(retried.substring(0, "00-".length() + 32 + 1))
        .isNotEqualTo(retried);
  }
}
