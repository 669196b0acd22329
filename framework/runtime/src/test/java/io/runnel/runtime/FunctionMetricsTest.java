package io.runnel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
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
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@RunnelTest(
    properties = {
      "runnel.test.suite=metrics",
      "micronaut.server.port=-1",
      "runnel.scaling.interval=200ms"
    })
class FunctionMetricsTest {

  private static final String PROMETHEUS_PREFIX = "runnel_function_";
  private static final String RECORDS = "runnel.function.records";
  private static final String INVOCATIONS = "runnel.function.invocations";
  private static final String DEAD_LETTERS = "runnel.function.dead.letters";

  @Test
  void everyRecordTakenIsCountedAndEverySuccessfulInvocation(
      RunnelTestKit kit, ApplicationContext context) {
    MeterRegistry meters = context.getBean(MeterRegistry.class);
    for (int i = 0; i < 25; i++) {
      kit.send("met.ok", "k" + i, ExecutionEngineTest.reading("k" + i, i));
    }
    Await.until(
        "25 successful invocations counted",
        () -> byTag(meters, INVOCATIONS, "met-ok", "outcome").get("success") == 25);
    assertThat(byTag(meters, RECORDS, "met-ok", "topic")).isEqualTo(Map.of("met.ok", 25.0));
    assertThat(byTag(meters, INVOCATIONS, "met-ok", "outcome"))
        .isEqualTo(Map.of("success", 25.0, "failure", 0.0, "timeout", 0.0));
    assertThat(meters.get("runnel.function.invocation").tag("function", "met-ok").timer().count())
        .isEqualTo(25);
    assertThat(retries(meters, "met-ok")).isZero();
    assertThat(inFlight(meters, "met-ok")).as("in flight once all ended").isZero();
  }

  @Test
  void retriesFailuresAndDeadLettersOfAnAlwaysFailingFunctionAreCountedExactly(
      RunnelTestKit kit, ApplicationContext context) {
    MeterRegistry meters = context.getBean(MeterRegistry.class);
    kit.send("met.fail", "a", ExecutionEngineTest.reading("a", 1));
    kit.send("met.fail", "b", ExecutionEngineTest.reading("b", 2));
    kit.awaitRecords("met.fail.dlq", 2, r -> true);
    assertThat(context.getBean(FailingFunction.class).calls.get())
        .as("3 attempts per record")
        .isEqualTo(6);
    assertThat(byTag(meters, INVOCATIONS, "met-fail", "outcome"))
        .isEqualTo(Map.of("success", 0.0, "failure", 2.0, "timeout", 0.0));
    assertThat(retries(meters, "met-fail")).isEqualTo(4);
    assertThat(byTag(meters, DEAD_LETTERS, "met-fail", "stage"))
        .isEqualTo(Map.of("decode", 0.0, "invoke", 2.0));
  }

  @Test
  void anUndecodableRecordIsCountedAsADecodeDeadLetterAndNotInvoked(
      RunnelTestKit kit, ApplicationContext context) {
    MeterRegistry meters = context.getBean(MeterRegistry.class);
    kit.sendRaw("met.decode", "garbage", "this is not avro".getBytes());
    kit.awaitRecords("met.decode.dlq", 1, r -> true);
    assertThat(byTag(meters, DEAD_LETTERS, "met-decode", "stage"))
        .isEqualTo(Map.of("decode", 1.0, "invoke", 0.0));
    assertThat(byTag(meters, RECORDS, "met-decode", "topic")).isEqualTo(Map.of("met.decode", 1.0));
    assertThat(byTag(meters, INVOCATIONS, "met-decode", "outcome"))
        .isEqualTo(Map.of("success", 0.0, "failure", 0.0, "timeout", 0.0));
  }

  @Test
  void anInvocationRunningPastItsTimeoutIsCountedAsATimeout(
      RunnelTestKit kit, ApplicationContext context) {
    MeterRegistry meters = context.getBean(MeterRegistry.class);
    kit.send("met.slow", "slow", ExecutionEngineTest.reading("slow", 1));
    kit.awaitRecords("met.slow.dlq", 1, r -> true);
    assertThat(byTag(meters, INVOCATIONS, "met-slow", "outcome"))
        .isEqualTo(Map.of("success", 0.0, "failure", 0.0, "timeout", 1.0));
    assertThat(inFlight(meters, "met-slow")).as("in flight once timed out").isZero();
  }

  @Test
  void theProcessServesTheMetricsAsPrometheusTextOverHttp(
      RunnelTestKit kit, ApplicationContext context) throws Exception {
    kit.send("met.scraped", "scraped", ExecutionEngineTest.reading("scraped", 1));
    MeterRegistry meters = context.getBean(MeterRegistry.class);
    Await.until(
        "an invocation counted",
        () -> byTag(meters, INVOCATIONS, "met-scraped", "outcome").get("success") > 0);
    Await.until(
        "the lag read",
        () ->
            meters.find("runnel.function.lag.records").tag("function", "met-scraped").gauge()
                != null);
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
              PROMETHEUS_PREFIX
                  + "records_total{function=\"met-scraped\",topic=\"met.scraped\"} 1.0",
              PROMETHEUS_PREFIX
                  + "invocations_total{function=\"met-scraped\",outcome=\"success\"} 1.0",
              PROMETHEUS_PREFIX + "invocations_total{function=\"met-scraped\",outcome=\"failure\"}",
              PROMETHEUS_PREFIX + "invocations_total{function=\"met-scraped\",outcome=\"timeout\"}",
              PROMETHEUS_PREFIX + "invocation_seconds_bucket{function=\"met-scraped\",le=",
              PROMETHEUS_PREFIX + "invocation_seconds_count{function=\"met-scraped\"}",
              PROMETHEUS_PREFIX + "retries_total{function=\"met-scraped\"}",
              PROMETHEUS_PREFIX + "dead_letters_total{function=\"met-scraped\",stage=\"decode\"}",
              PROMETHEUS_PREFIX + "dead_letters_total{function=\"met-scraped\",stage=\"invoke\"}",
              PROMETHEUS_PREFIX + "in_flight{function=\"met-scraped\"}",
              PROMETHEUS_PREFIX + "buffered{function=\"met-scraped\"}",
              PROMETHEUS_PREFIX
                  + "lag_records{function=\"met-scraped\",partition=\"0\",topic=\"met.scraped\"}",
              PROMETHEUS_PREFIX + "lag_seconds{function=\"met-scraped\"}",
              PROMETHEUS_PREFIX + "arrival_rate{function=\"met-scraped\"}",
              PROMETHEUS_PREFIX + "completion_rate{function=\"met-scraped\"}",
              PROMETHEUS_PREFIX + "desired_replicas{function=\"met-scraped\"}",
              PROMETHEUS_PREFIX + "busy_seconds_total{function=\"met-scraped\"}",
              PROMETHEUS_PREFIX + "bytes_in_total{function=\"met-scraped\"}",
              PROMETHEUS_PREFIX + "bytes_out_total{function=\"met-scraped\"}");
    }
  }

  /** The counts of a function's counters named {@code name}, by the value of {@code tag}. */
  private static Map<String, Double> byTag(
      MeterRegistry meters, String name, String function, String tag) {
    return meters.get(name).tag("function", function).counters().stream()
        .collect(Collectors.toMap(counter -> counter.getId().getTag(tag), Counter::count));
  }

  private static double inFlight(MeterRegistry meters, String function) {
    return meters.get("runnel.function.in.flight").tag("function", function).gauge().value();
  }

  private static double retries(MeterRegistry meters, String function) {
    return meters.get("runnel.function.retries").tag("function", function).counter().count();
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
  static class ScrapedFunction {
    @EventFunction(name = "met-scraped", topics = "met.scraped")
    void handle(SensorReading reading) {}
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
