package io.runnel.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With Kafka or the registry unreachable, a request gets 503 within the produce timeout, never a
 * hung request, and the gateway starts anyway.
 */
@RunnelTest(startContext = false)
class HttpGatewayKafkaDownTest {

  private static final String READING =
      "{\"deviceId\": \"d\", \"timestamp\": \"2026-11-23T10:00:00Z\", \"temperatureC\": 1}";

  private static int deadPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static ApplicationContext gateway(String bootstrapServers, String registryUrl) {
    return ApplicationContext.builder()
        .environments("test")
        .properties(
            Map.of(
                "micronaut.server.port", -1,
                "runnel.runtime.enabled", false,
                "runnel.kafka.bootstrap-servers", bootstrapServers,
                "runnel.schema-registry.url", registryUrl,
                "runnel.schema-registry.request-timeout", "1s",
                "runnel.http.produce-timeout", "1500ms",
                "runnel.http.routes.readings.path", "/readings",
                "runnel.http.routes.readings.topic", "http.readings",
                "runnel.http.routes.readings.schema", "io.runnel.examples.iot.SensorReading"))
        .start();
  }

  @Test
  void kafkaUnreachableGives503WithinTheProduceTimeout(RunnelTestKit kit) throws IOException {
    try (ApplicationContext context = gateway("localhost:" + deadPort(), kit.registryUrl())) {
      GatewayClient http = new GatewayClient(context);

      long started = System.nanoTime();
      GatewayClient.Reply reply = http.post("/readings", READING);
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.header("Retry-After")).isNotNull();
      assertThat(reply.json().get("detail").asText()).contains("Kafka");
      assertThat(took).isBetween(Duration.ofMillis(1_000), Duration.ofSeconds(5));
      // Request-reply routes (the test function's) answer 503 too while no reply topic is read.
      assertThat(http.post("/assess", READING).status()).isEqualTo(503);
    }
  }

  @Test
  void registryUnreachableGives503(RunnelTestKit kit) throws IOException {
    try (ApplicationContext context =
        gateway(kit.bootstrapServers(), "http://localhost:" + deadPort())) {
      GatewayClient.Reply reply = new GatewayClient(context).post("/readings", READING);

      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.json().get("detail").asText()).contains("registry");
    }
  }
}
