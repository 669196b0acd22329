package io.runnel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.examples.iot.SensorReading;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.test.Await;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link FunctionService} as a container would: a separate JVM configured by environment
 * variables only, probed over HTTP, stopped with SIGTERM and started again.
 */
@RunnelTest(startContext = false)
class FunctionServiceTest {

  private static final int EVENTS = 20;
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @Test
  void serviceConfiguredByEnvironmentServesHealthAndMetricsAndCommitsOnSigterm(RunnelTestKit kit)
      throws Exception {
    CopyStream stream =
        new CopyStream(
            kit.bootstrapServers(),
            new SchemaRegistryClient(kit.registryUrl(), PATIENCE, null),
            EVENTS,
            "service");
    stream.produce();
    Path logs = Files.createDirectories(Path.of("target", "function-service"));
    int port = freePort();

    Process first = start(kit, stream, port, logs.resolve("first.log").toFile());
    try {
      stream.awaitOutputs(EVENTS, PATIENCE);
      assertThat(get(port, "/health/liveness").statusCode()).isEqualTo(200);
      assertThat(get(port, "/health/readiness").statusCode()).as("readiness").isIn(200, 503);
      HttpResponse<String> metrics = get(port, "/prometheus");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body())
          .contains("runnel_function_invocations_total{function=\"copy\",outcome=\"success\"}");
    } finally {
      stop(first);
    }
    assertThat(first.exitValue()).as("exit code after SIGTERM").isEqualTo(143);
    assertThat(committedOffsets(kit, "copy-" + stream.input()))
        .as("offsets the group committed on the way down")
        .isEqualTo(endOffsets(kit, stream.input()));

    // Restarted, it takes up after the committed offsets: one new event, not the old ones again.
    Process second = start(kit, stream, port, logs.resolve("second.log").toFile());
    try {
      kit.send(
          stream.input(),
          "after-restart",
          SensorReading.newBuilder()
              .setDeviceId("after-restart")
              .setTimestamp(Instant.now())
              .setTemperatureC(EVENTS)
              .build());
      new CopyStream(stream.bootstrapServers(), stream.registry(), EVENTS + 1, stream.prefix())
          .readUntilComplete(PATIENCE);
    } finally {
      stop(second);
    }
    assertThat(stream.outputCount()).as("outputs: every event once").isEqualTo(EVENTS + 1);
  }

  /** The service JVM: the test's classpath, settings in environment variables only. */
  private static Process start(RunnelTestKit kit, CopyStream stream, int port, File log)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), FunctionService.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(log);
    Map<String, String> env = builder.environment();
    env.put("RUNNEL_KAFKA_BOOTSTRAP_SERVERS", kit.bootstrapServers());
    env.put("RUNNEL_SCHEMA_REGISTRY_URL", kit.registryUrl());
    // A busy machine can take more than the default 10 s to answer the first registry call.
    env.put("RUNNEL_SCHEMA_REGISTRY_REQUEST_TIMEOUT", PATIENCE.toSeconds() + "s");
    env.put("MICRONAUT_SERVER_PORT", String.valueOf(port));
    // CrashTestApp's copying function, between this test's topics.
    env.put("RUNNEL_TEST_SUITE", "crash");
    env.put("RUNNEL_FUNCTIONS_COPY_TOPICS", stream.input());
    env.put("RUNNEL_FUNCTIONS_COPY_OUTPUT_TOPIC", stream.output());
    env.put("RUNNEL_FUNCTIONS_COPY_GROUP", "copy-" + stream.input());
    return builder.start();
  }

  /** SIGTERM, then waits for the process to finish draining. */
  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("The service did not stop within " + PATIENCE + " of SIGTERM");
    }
  }

  private static HttpResponse<String> get(int port, String path) {
    URI uri = URI.create("http://localhost:" + port + path);
    try (HttpClient client = HttpClient.newHttpClient()) {
      // The server may start after the first outputs appear: ask until it answers.
      return Await.until(
          "an answer from " + uri,
          PATIENCE,
          () -> {
            try {
              return client.send(
                  HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
              return null;
            } catch (IOException | InterruptedException e) {
              throw new AssertionError(e);
            }
          },
          response -> response != null);
    }
  }

  private static Map<TopicPartition, Long> committedOffsets(RunnelTestKit kit, String group)
      throws Exception {
    try (Admin admin = admin(kit)) {
      return admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get()
          .entrySet()
          .stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
  }

  private static Map<TopicPartition, Long> endOffsets(RunnelTestKit kit, String topic)
      throws Exception {
    try (Admin admin = admin(kit)) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get()
          .get(topic)
          .partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      return admin.listOffsets(latest).all().get().entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
  }

  private static Admin admin(RunnelTestKit kit) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrapServers()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
