package io.runnel.connectors.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.runnel.support.StandaloneProcess;
import io.runnel.test.Await;
import io.runnel.test.HealthProbe;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scheduler as its own process, the way {@link SchedulerMain} runs it in a container. */
@RunnelTest(startContext = false)
class SchedulerProcessTest {

  @Test
  void aStandaloneSchedulerServesHealthAndPrometheusOverHttp(RunnelTestKit kit) throws Exception {
    Map<String, Object> settings =
        Map.of(
            "runnel.kafka.bootstrap-servers", kit.bootstrapServers(),
            "runnel.schema-registry.url", kit.registryUrl(),
            "runnel.runtime.instance-id", "standalone",
            "runnel.scheduler.group", "standalone-test",
            "runnel.scheduler.state-topic", "standalone-test-state",
            "runnel.schedules.probe.fixed-rate", "1s",
            "micronaut.server.port", -1);
    try (ApplicationContext context = StandaloneProcess.start(settings, new String[0])) {
      HealthProbe.await(context, "scheduler", "UP", Duration.ofSeconds(30));
      int port = context.getBean(EmbeddedServer.class).getPort();

      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\":\"UP\"");

      Await.until(
          "the tick counter and the producer's own meters served at /prometheus",
          Duration.ofSeconds(60),
          () -> {
            String metrics =
                HttpClient.newHttpClient()
                    .sendAsync(
                        HttpRequest.newBuilder(
                                URI.create("http://localhost:" + port + "/prometheus"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .join()
                    .body();
            return metrics.contains("runnel_schedule_ticks_total{schedule=\"probe\"}")
                && metrics.contains(
                    "kafka_producer_record_send_total{client_id=\"runnel-scheduler-standalone\"");
          });
    }
  }
}
