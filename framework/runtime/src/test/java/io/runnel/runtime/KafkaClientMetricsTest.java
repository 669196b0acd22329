package io.runnel.runtime;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.runnel.test.Await;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Kafka clients' own metrics of a function app are served with the function meters. */
@RunnelTest(properties = {"runnel.test.suite=metrics", "micronaut.server.port=-1"})
class KafkaClientMetricsTest {

  @Test
  void theConsumersAndTheProducersOwnMetricsAreServedAtPrometheus(
      RunnelTestKit kit, ApplicationContext context) throws Exception {
    kit.send("met.scraped", "kafka-meters", ExecutionEngineTest.reading("kafka-meters", 1));
    EmbeddedServer server = context.getBean(EmbeddedServer.class);
    server.start();
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpRequest scrape =
          HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + "/prometheus"))
              .build();
      Await.until(
          "the Kafka clients' meters scraped",
          Duration.ofSeconds(90),
          () -> {
            String body =
                client.sendAsync(scrape, HttpResponse.BodyHandlers.ofString()).join().body();
            return body.contains(
                    "kafka_consumer_fetch_manager_records_consumed_total{client_id=\"runnel-met-scraped\"")
                && body.contains("kafka_producer_record_send_total{client_id=\"runnel-output\"");
          });
    }
  }
}
