package io.runnel.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.EventFunction;
import io.runnel.function.Output;
import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import jakarta.inject.Singleton;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * A trace followed from an HTTP request through two functions to a dead letter: the gateway
 * continues the request's {@code traceparent}, function A's output and function B's dead letter
 * continue it, each record with the same trace id and a span of its own, a child of the span before
 * it. Function A's log context names the record and the trace.
 */
@RunnelTest(properties = {"micronaut.server.port=-1", "runnel.test.suite=trace-across"})
class TraceAcrossFunctionsTest {

  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String CALLER_SPAN_ID = "00f067aa0ba902b7";

  /** Function A: HTTP-triggered, passes each reading on with a header of its own. */
  @Singleton
  @Requires(property = "runnel.test.suite", value = "trace-across")
  static class Intake {
    final List<Map<String, String>> logContexts = new CopyOnWriteArrayList<>();

    @EventFunction(name = "traced-intake", topics = "trace.readings", outputTopic = "trace.checked")
    @HttpTrigger(path = "/traced", key = "body.deviceId")
    Output receive(SensorReading reading) {
      logContexts.add(MDC.getCopyOfContextMap());
      return Output.of(reading).withHeader("tenant", "acme");
    }
  }

  /** Function B: fails every record at once, so each goes to the dead-letter topic. */
  @Singleton
  @Requires(property = "runnel.test.suite", value = "trace-across")
  static class Checker {
    @EventFunction(name = "traced-checker", topics = "trace.checked", maxAttempts = 1)
    void check(SensorReading reading) {
      throw new IllegalStateException("sensor " + reading.getDeviceId() + " is not calibrated");
    }
  }

  /** The parts of a W3C {@code traceparent} header: version-traceid-spanid-flags. */
  record TraceParent(String traceId, String spanId) {
    static TraceParent of(ReceivedRecord record) {
      String header = record.header("traceparent");
      assertThat(header).as("traceparent of a record on %s", record.topic()).isNotNull();
      String[] parts = header.split("-");
      assertThat(parts).hasSize(4);
      return new TraceParent(parts[1], parts[2]);
    }
  }

  @Test
  void oneTraceIdRunsFromTheRequestThroughBothFunctionsToTheDeadLetterWithAChildSpanAtEachStep(
      RunnelTestKit kit, ApplicationContext context) {
    GatewayClient http = new GatewayClient(context);

    GatewayClient.Reply reply =
        http.send(
            http.request("/traced")
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        """
                        {"deviceId": "dev-traced", "timestamp": "2026-11-23T10:15:30Z", \
                        "temperatureC": 20}""")));

    assertThat(reply.status()).isEqualTo(202);
    ReceivedRecord input = received(kit, "trace.readings", "dev-traced");
    ReceivedRecord output = received(kit, "trace.checked", "dev-traced");
    ReceivedRecord deadLetter = received(kit, "trace.checked.dlq", "dev-traced");
    List<TraceParent> chain =
        List.of(TraceParent.of(input), TraceParent.of(output), TraceParent.of(deadLetter));
    assertThat(chain).extracting(TraceParent::traceId).containsOnly(TRACE_ID);
    assertThat(chain)
        .extracting(TraceParent::spanId)
        .doesNotContain(CALLER_SPAN_ID)
        .doesNotHaveDuplicates();
    assertThat(output.header("tenant")).isEqualTo("acme");
    assertThat(deadLetter.header("tenant")).isEqualTo("acme");
    assertThat(deadLetter.header("runnel.error.function")).isEqualTo("traced-checker");
  }

  @Test
  void aRequestWithoutTraceparentStartsATraceThatTheFunctionsContinue(
      RunnelTestKit kit, ApplicationContext context) {
    GatewayClient.Reply reply =
        new GatewayClient(context)
            .post(
                "/traced",
                """
                {"deviceId": "dev-untraced", "timestamp": "2026-11-23T10:15:30Z", \
                "temperatureC": 21}""");

    assertThat(reply.status()).isEqualTo(202);
    ReceivedRecord input = received(kit, "trace.readings", "dev-untraced");
    ReceivedRecord deadLetter = received(kit, "trace.checked.dlq", "dev-untraced");
    String traceId = TraceParent.of(input).traceId();
    assertThat(traceId).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
    assertThat(TraceParent.of(deadLetter).traceId()).isEqualTo(traceId);
    Map<String, String> logContext =
        context.getBean(Intake.class).logContexts.stream()
            .filter(mdc -> "dev-untraced".equals(mdc.get("key")))
            .findFirst()
            .orElseThrow();
    assertThat(logContext)
        .containsEntry("function", "traced-intake")
        .containsEntry("record", "trace.readings-" + input.partition() + "@" + input.offset())
        .containsEntry("traceId", traceId);
  }

  private static ReceivedRecord received(RunnelTestKit kit, String topic, String key) {
    return kit.awaitRecords(topic, 1, record -> key.equals(record.key()), Duration.ofSeconds(90))
        .get(0);
  }
}
