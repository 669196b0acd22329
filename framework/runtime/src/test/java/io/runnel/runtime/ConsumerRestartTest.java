package io.runnel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.runtime.server.EmbeddedServer;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.EventFunction;
import io.runnel.test.Await;
import io.runnel.test.HealthProbe;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A function's consumer broken from outside, on the real broker: another member of its group takes
 * over its static membership (group.instance.id), so the broker fences the function's consumer and
 * its next poll throws. The runtime starts a new consumer; readiness shows the function DOWN with
 * the reason meanwhile, then UP.
 */
@RunnelTest(
    properties = {
      "runnel.test.suite=restart",
      "runnel.kafka.consumer.group.instance.id=" + ConsumerRestartTest.INSTANCE,
      "runnel.runtime.restart-backoff.initial=100ms",
      "runnel.runtime.health.check-interval=500ms",
      "endpoints.health.details-visible=ANONYMOUS",
      "micronaut.server.port=-1"
    })
class ConsumerRestartTest {

  static final String INSTANCE = "restart-test-member";
  static final String FUNCTION = "rst-count";
  static final String TOPIC = "rst.in";
  static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void aFencedConsumerIsReplacedAndHealthGoesDownThenUpWithNothingLost(
      RunnelTestKit kit, ApplicationContext context) throws Exception {
    CountingFunction function = context.getBean(CountingFunction.class);
    kit.send(TOPIC, "held", reading("held"));
    Await.until("the held record in its handler", WAIT, () -> function.count("held") >= 1);
    HealthProbe.await(context, FUNCTION, "UP", WAIT);

    takeOverTheStaticMembership(kit.bootstrapServers());

    HealthResult down = HealthProbe.await(context, FUNCTION, "DOWN", WAIT);
    assertThat(details(down))
        .containsEntry("state", "RESTARTING")
        .hasEntrySatisfying(
            "reason",
            reason ->
                assertThat(reason.toString())
                    .startsWith("stopped by FencedInstanceIdException")
                    .contains("restarting at"));
    function.release();

    HealthResult up = HealthProbe.await(context, FUNCTION, "UP", WAIT);
    assertThat(details(up))
        .containsEntry("state", "POLLING")
        .containsEntry("restarts", 1L)
        .hasEntrySatisfying(
            "last-failure",
            failure -> assertThat(failure.toString()).startsWith("FencedInstanceIdException"));
    Await.until(
        "the held record, never committed, handled again", WAIT, () -> function.count("held") >= 2);
    for (int i = 0; i < 20; i++) {
      kit.send(TOPIC, "k" + i, reading("k" + i));
    }
    Await.until(
        "every record after the restart handled",
        WAIT,
        () -> function.handled.keySet().size() == 21);

    HttpResponse<String> readiness = get(context, "/health/readiness");
    assertThat(readiness.statusCode()).isEqualTo(200);
    assertThat(readiness.body()).contains(FUNCTION, "kafka", "schema-registry", "POLLING");
    assertThat(get(context, "/health/liveness").statusCode()).isEqualTo(200);
  }

  /**
   * Joins the function's group with the function's group.instance.id: the broker hands the member
   * over to this consumer and fences the function's. Closed without leaving the group (a static
   * member does not), so the function's next consumer takes the membership back at once.
   */
  private static void takeOverTheStaticMembership(String bootstrapServers) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG,
            "runnel-" + FUNCTION,
            ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
            INSTANCE,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            "false");
    try (KafkaConsumer<byte[], byte[]> intruder =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      intruder.subscribe(List.of(TOPIC));
      Await.until(
          "the intruder holding the function's partitions",
          WAIT,
          () -> {
            intruder.poll(Duration.ofMillis(100));
            return !intruder.assignment().isEmpty();
          });
    }
  }

  private static HttpResponse<String> get(ApplicationContext context, String path)
      throws Exception {
    EmbeddedServer server = context.getBean(EmbeddedServer.class);
    if (!server.isRunning()) {
      server.start();
    }
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(
          HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> details(HealthResult result) {
    return (Map<String, Object>) result.getDetails();
  }

  static SensorReading reading(String device) {
    return ExecutionEngineTest.reading(device, 1);
  }

  /** Counts the invocations per key; the record keyed {@code held} waits until released. */
  @Singleton
  @Requires(property = "runnel.test.suite", value = "restart")
  static class CountingFunction {
    final Map<String, Integer> handled = new ConcurrentHashMap<>();
    private final CountDownLatch released = new CountDownLatch(1);

    @EventFunction(name = FUNCTION, topics = TOPIC, timeoutMs = 0)
    void handle(SensorReading reading) throws InterruptedException {
      String device = reading.getDeviceId().toString();
      handled.merge(device, 1, Integer::sum);
      if (device.equals("held")) {
        released.await();
      }
    }

    int count(String device) {
      return handled.getOrDefault(device, 0);
    }

    void release() {
      released.countDown();
    }
  }
}
