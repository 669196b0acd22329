package io.runnel.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.runnel.examples.iot.SensorReading;
import io.runnel.examples.iot.TemperatureAlert;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.SubjectNameStrategy;
import io.runnel.registry.serde.AvroSerializer;
import io.runnel.registry.serde.ConfluentWireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The serializer asks the registry for an output schema's id once, however many records and
 * threads: counted by a proxy in front of the dev registry.
 */
class SchemaIdCacheTest extends DevRegistryTestBase {

  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private HttpServer proxy;
  private SchemaRegistryClient proxied;

  @BeforeEach
  void startProxy() throws IOException {
    HttpClient http = HttpClient.newHttpClient();
    proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    proxy.createContext("/", exchange -> forward(http, exchange));
    proxy.start();
    proxied = new SchemaRegistryClient("http://127.0.0.1:" + proxy.getAddress().getPort());
  }

  @AfterEach
  void stopProxy() {
    proxy.stop(0);
  }

  @Test
  void concurrentFirstRecordsRegisterTheSchemaOnce() throws Exception {
    AvroSerializer serializer =
        new AvroSerializer(proxied, SubjectNameStrategy.TOPIC_NAME, true, false);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      start.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    serializer.serialize("cache.a", AvroSerdeWireCompatibilityTest.reading());
                  }));
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(requests).containsOnlyKeys("POST /subjects/cache.a-value/versions");
    assertThat(requests.get("POST /subjects/cache.a-value/versions")).hasValue(1);
  }

  @Test
  void withoutAutoRegistrationTheIdIsLookedUpOnce() {
    client.register("cache.b-value", AvroSerdeWireCompatibilityTest.reading().getSchema());
    AvroSerializer serializer =
        new AvroSerializer(proxied, SubjectNameStrategy.TOPIC_NAME, false, false);
    for (int i = 0; i < 100; i++) {
      serializer.serialize("cache.b", AvroSerdeWireCompatibilityTest.reading());
    }
    assertThat(requests).containsOnlyKeys("POST /subjects/cache.b-value");
    assertThat(requests.get("POST /subjects/cache.b-value")).hasValue(1);
  }

  @Test
  void recordsAlternatingBetweenTopicsAndSchemasCarryTheirOwnIds() {
    AvroSerializer serializer =
        new AvroSerializer(proxied, SubjectNameStrategy.TOPIC_NAME, true, false);
    SensorReading reading = AvroSerdeWireCompatibilityTest.reading();
    TemperatureAlert alert =
        TemperatureAlert.newBuilder()
            .setDeviceId("d1")
            .setTimestamp(reading.getTimestamp())
            .setTemperatureC(91.0)
            .setThreshold(80.0)
            .build();
    List<byte[]> readings = new ArrayList<>();
    List<byte[]> alerts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      readings.add(serializer.serialize("cache.c", reading));
      alerts.add(serializer.serialize("cache.d", alert));
    }
    int readingId = client.getLatestVersion("cache.c-value").id();
    int alertId = client.getLatestVersion("cache.d-value").id();
    assertThat(readingId).isNotEqualTo(alertId);
    assertThat(readings)
        .allSatisfy(bytes -> assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(readingId));
    assertThat(alerts)
        .allSatisfy(bytes -> assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(alertId));
    assertThat(requests.get("POST /subjects/cache.c-value/versions")).hasValue(1);
    assertThat(requests.get("POST /subjects/cache.d-value/versions")).hasValue(1);
  }

  private void forward(HttpClient http, HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    requests
        .computeIfAbsent(method + " " + exchange.getRequestURI(), k -> new AtomicInteger())
        .incrementAndGet();
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    try {
      HttpResponse<byte[]> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(registry.url() + exchange.getRequestURI()))
                  .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                  .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.sendResponseHeaders(503, -1);
    }
  }
}
