package io.runnel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.server.EmbeddedServer;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.EventFunction;
import io.runnel.test.Await;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@RunnelTest(properties = {"runnel.test.suite=metrics", "micronaut.server.port=-1"})
class FunctionMetricsTest {

  private static final String PROMETHEUS_PREFIX = "runnel_function_";

  @Test
  void everyRecordTakenIsCountedAndEverySuccessfulInvocation(
      RunnelTestKit kit, ApplicationContext context) {
    MeterRegistry meters = context.getBean(MeterRegistry.class);
    for (int i = 0; i < 25; i++) {
      kit.send("met.ok", "k" + i, ExecutionEngineTest.reading("k" + i, i));
    }
    Await.until(
        "25 successful invocations counted",
        () -> count(meters, "runnel.function.invocations", "met-ok", "outcome", "success") == 25);
    assertThat(count(meters, "runnel.function.records", "met-ok", "topic", "met.ok")).isEqualTo(25);
    assertThat(meters.get("runnel.function.invocation").tag("function", "met-ok").timer().count())
        .isEqualTo(25);
    assertThat(count(meters, "runnel.function.invocations", "met-ok", "outcome", "failure"))
        .isZero();
    assertThat(meters.get("runnel.function.retries").tag("function", "met-ok").counter().count())
        .isZero();
  }

  @Test
  void retriesFailuresAndDeadLettersOfAnAlwaysFailingFunctionAreCountedExactly(
      RunnelTestKit kit, ApplicationContext context) {
    MeterRegistry meters = context.getBean(MeterRegistry.class);
    kit.send("met.fail", "a", ExecutionEngineTest.reading("a", 1));
    kit.send("met.fail", "b", ExecutionEngineTest.reading("b", 2));
    kit.awaitRecords("met.fail.dlq", 2, r -> true);
    FailingFunction function = context.getBean(FailingFunction.class);
    assertThat(function.calls.get()).as("3 attempts per record").isEqualTo(6);
    assertThat(count(meters, "runnel.function.invocations", "met-fail", "outcome", "failure"))
        .isEqualTo(2);
    assertThat(meters.get("runnel.function.retries").tag("function", "met-fail").counter().count())
        .isEqualTo(4);
    assertThat(count(meters, "runnel.function.dead.letters", "met-fail", "stage", "invoke"))
        .isEqualTo(2);
    assertThat(count(meters, "runnel.function.dead.letters", "met-fail", "stage", "decode"))
        .isZero();
    assertThat(count(meters, "runnel.function.invocations", "met-fail", "outcome", "success"))
        .isZero();
  }

  @Test
  void anUndecodableRecordIsCountedAsADecodeDeadLetterAndNotInvoked(
      RunnelTestKit kit, ApplicationContext context) {
    MeterRegistry meters = context.getBean(MeterRegistry.class);
    kit.sendRaw("met.decode", "garbage", "this is not avro".getBytes());
    kit.awaitRecords("met.decode.dlq", 1, r -> true);
    assertThat(count(meters, "runnel.function.dead.letters", "met-decode", "stage", "decode"))
        .isEqualTo(1);
    assertThat(count(meters, "runnel.function.records", "met-decode", "topic", "met.decode"))
        .isEqualTo(1);
    assertThat(
            meters.get("runnel.function.invocation").tag("function", "met-decode").timer().count())
        .isZero();
  }

  @Test
  void anInvocationRunningPastItsTimeoutIsCountedAsATimeout(
      RunnelTestKit kit, ApplicationContext context) {
    MeterRegistry meters = context.getBean(MeterRegistry.class);
    kit.send("met.slow", "slow", ExecutionEngineTest.reading("slow", 1));
    kit.awaitRecords("met.slow.dlq", 1, r -> true);
    assertThat(count(meters, "runnel.function.invocations", "met-slow", "outcome", "timeout"))
        .isEqualTo(1);
    assertThat(count(meters, "runnel.function.invocations", "met-slow", "outcome", "failure"))
        .isZero();
  }

  @Test
  void theProcessServesTheMetricsAsPrometheusTextOverHttp(
      RunnelTestKit kit, ApplicationContext context) throws Exception {
    kit.send("met.ok", "scraped", ExecutionEngineTest.reading("scraped", 1));
    MeterRegistry meters = context.getBean(MeterRegistry.class);
    Await.until(
        "an invocation counted",
        () -> count(meters, "runnel.function.invocations", "met-ok", "outcome", "success") > 0);
    EmbeddedServer server = context.getBean(EmbeddedServer.class);
    server.start();
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("http://localhost:" + server.getPort() + "/prometheus"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains(
              PROMETHEUS_PREFIX + "records_total{function=\"met-ok\",topic=\"met.ok\"}",
              PROMETHEUS_PREFIX + "invocations_total{function=\"met-ok\",outcome=\"success\"}",
              PROMETHEUS_PREFIX + "invocations_total{function=\"met-ok\",outcome=\"failure\"}",
              PROMETHEUS_PREFIX + "invocations_total{function=\"met-ok\",outcome=\"timeout\"}",
              PROMETHEUS_PREFIX + "invocation_seconds_bucket{function=\"met-ok\",le=",
              PROMETHEUS_PREFIX + "invocation_seconds_count{function=\"met-ok\"}",
              PROMETHEUS_PREFIX + "retries_total{function=\"met-ok\"}",
              PROMETHEUS_PREFIX + "dead_letters_total{function=\"met-ok\",stage=\"decode\"}",
              PROMETHEUS_PREFIX + "dead_letters_total{function=\"met-ok\",stage=\"invoke\"}",
              PROMETHEUS_PREFIX + "in_flight{function=\"met-ok\"}",
              PROMETHEUS_PREFIX + "buffered{function=\"met-ok\"}");
    }
  }

  private static double count(
      MeterRegistry meters, String name, String function, String tag, String value) {
    return meters.get(name).tags("function", function, tag, value).counter().count();
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "metrics")
  static class SucceedingFunction {
    final AtomicInteger handled = new AtomicInteger();

    @EventFunction(name = "met-ok", topics = "met.ok")
    void handle(SensorReading reading) {
      handled.incrementAndGet();
    }
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "metrics")
  static class FailingFunction {
    final AtomicInteger calls = new AtomicInteger();

    @EventFunction(name = "met-fail", topics = "met.fail", maxAttempts = 3, retryBackoffMs = 10)
    void handle(SensorReading reading) {
      calls.incrementAndGet();
      throw new IllegalStateException("always fails");
    }
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "metrics")
  static class DecodingFunction {
    @EventFunction(name = "met-decode", topics = "met.decode")
    void handle(SensorReading reading) {}
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "metrics")
  static class SlowFunction {
    @EventFunction(name = "met-slow", topics = "met.slow", timeoutMs = 200, maxAttempts = 1)
    void handle(SensorReading reading) throws InterruptedException {
      Thread.sleep(600_000); // ended by the timeout's interrupt
    }
  }
}
