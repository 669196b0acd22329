package io.runnel.benchmarks;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.runnel.examples.iot.SensorReading;
import io.runnel.registry.serde.AvroSerializer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The HTTP gateway under load, on loopback: closed-loop clients (each sends its next request when
 * the previous one was answered) post readings for a fixed time; every 202 means Kafka stored the
 * event with acks=all. Beside it, the same clients producing the same Avro events straight to Kafka
 * (acks=all, waiting for each ack) show what the HTTP hop costs, and NDJSON batches of 100 show the
 * batch path. Prints accepted requests (events) per second and latency percentiles.
 */
@Command(name = "gateway-load-benchmark", mixinStandardHelpOptions = true)
public final class GatewayLoadBenchmark implements Callable<Integer> {

  private static final String TOPIC = "bench.http.readings";

  @Option(
      names = "--concurrency",
      split = ",",
      description = "Concurrent clients, one run each (default: ${DEFAULT-VALUE}).")
  List<Integer> concurrency = List.of(8, 64);

  @Option(
      names = "--seconds",
      description = "Measured seconds per run (default: ${DEFAULT-VALUE}).")
  int seconds = 10;

  @Option(
      names = "--warmup-seconds",
      description = "Unreported seconds before each run (default: ${DEFAULT-VALUE}).")
  int warmupSeconds = 3;

  @Option(
      names = "--batch-size",
      description = "Events per NDJSON request (default: ${DEFAULT-VALUE}).")
  int batchSize = 100;

  /** One request of a contender; true when it was accepted. */
  @FunctionalInterface
  interface Request {
    boolean send(int client, long sequence) throws Exception;
  }

  record Result(
      String contender,
      int clients,
      long requests,
      long events,
      long errors,
      double seconds,
      Histogram latency) {
    double eventsPerSecond() {
      return events / seconds;
    }

    String row(double baseline) {
      return String.format(
          "| %s | %d | %,.0f | %,.0f | %.2f | %.2f | %.2f | %d | %.2f× |",
          contender,
          clients,
          requests / seconds,
          eventsPerSecond(),
          latency.getValueAtPercentile(50) / 1000.0,
          latency.getValueAtPercentile(99) / 1000.0,
          latency.getMaxValue() / 1000.0,
          errors,
          eventsPerSecond() / baseline);
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new GatewayLoadBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    try (BenchmarkCluster cluster =
            new BenchmarkCluster(Files.createTempDirectory("runnel-bench-http"));
        ApplicationContext gateway = startGateway(cluster);
        KafkaProducer<byte[], byte[]> producer = cluster.producer();
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      cluster.createTopic(TOPIC, 6);
      String base = "http://localhost:" + gateway.getBean(EmbeddedServer.class).getPort();
      HttpClient http =
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clients).build();
      AvroSerializer serializer = cluster.serializer();
      Request direct =
          (client, sequence) -> {
            SensorReading reading = reading(client, sequence);
            producer
                .send(
                    new ProducerRecord<>(
                        TOPIC,
                        reading.getDeviceId().getBytes(),
                        serializer.serialize(TOPIC, reading)))
                .get();
            return true;
          };
      Request single =
          (client, sequence) -> post(http, base, "application/json", json(client, sequence)) == 202;
      Request batch =
          (client, sequence) ->
              post(
                      http,
                      base,
                      "application/x-ndjson",
                      IntStream.range(0, batchSize)
                          .mapToObj(i -> json(client, sequence * batchSize + i))
                          .collect(Collectors.joining("\n")))
                  == 202;
      List<Result> results = new ArrayList<>();
      for (int clientCount : concurrency) {
        Result baseline =
            run(
                "kafka-clients producer, acks=all, wait per event",
                clientCount,
                1,
                direct,
                clients);
        results.add(baseline);
        results.add(run("gateway POST /readings (JSON)", clientCount, 1, single, clients));
        results.add(
            run(
                "gateway POST /readings (NDJSON ×" + batchSize + ")",
                clientCount,
                batchSize,
                batch,
                clients));
      }
      System.out.println();
      System.out.println(
          "| contender | clients | requests/s | events/s | p50 ms | p99 ms | max ms | errors | vs. producer |");
      System.out.println("|---|---|---|---|---|---|---|---|---|");
      double baseline = 0;
      for (Result result : results) {
        if (result.contender().startsWith("kafka-clients")) {
          baseline = result.eventsPerSecond();
        }
        System.out.println(result.row(baseline));
      }
    }
    return 0;
  }

  private ApplicationContext startGateway(BenchmarkCluster cluster) {
    ApplicationContext context =
        ApplicationContext.run(
            Map.of(
                "micronaut.server.port",
                -1,
                "runnel.runtime.enabled",
                "false",
                "runnel.kafka.bootstrap-servers",
                cluster.bootstrapServers(),
                "runnel.schema-registry.url",
                cluster.registryUrl(),
                "runnel.http.routes.readings.path",
                "/readings",
                "runnel.http.routes.readings.topic",
                TOPIC,
                "runnel.http.routes.readings.schema",
                SensorReading.class.getName(),
                "runnel.http.routes.readings.key",
                "body.deviceId"));
    context.getBean(EmbeddedServer.class).start();
    return context;
  }

  private Result run(
      String contender,
      int clientCount,
      int eventsPerRequest,
      Request request,
      ExecutorService clients)
      throws Exception {
    measure(clientCount, request, clients, Duration.ofSeconds(warmupSeconds), new Recorder(3));
    Recorder recorder = new Recorder(3);
    AtomicLong[] counts =
        measure(clientCount, request, clients, Duration.ofSeconds(seconds), recorder);
    Result result =
        new Result(
            contender,
            clientCount,
            counts[0].get(),
            counts[0].get() * eventsPerRequest,
            counts[1].get(),
            seconds,
            recorder.getIntervalHistogram());
    System.out.printf(
        "%s, %d clients: %,.0f events/s, p99 %.2f ms%n",
        contender,
        clientCount,
        result.eventsPerSecond(),
        result.latency().getValueAtPercentile(99) / 1000.0);
    return result;
  }

  /** Runs the clients until the deadline; returns {accepted, failed} requests. */
  private static AtomicLong[] measure(
      int clientCount,
      Request request,
      ExecutorService clients,
      Duration duration,
      Recorder latency)
      throws Exception {
    AtomicLong accepted = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long deadline = System.nanoTime() + duration.toNanos();
    List<java.util.concurrent.Future<?>> running = new ArrayList<>();
    for (int c = 0; c < clientCount; c++) {
      int client = c;
      running.add(
          clients.submit(
              () -> {
                long sequence = 0;
                while (System.nanoTime() < deadline) {
                  long started = System.nanoTime();
                  boolean ok;
                  try {
                    ok = request.send(client, sequence++);
                  } catch (Exception e) {
                    ok = false;
                  }
                  latency.recordValue((System.nanoTime() - started) / 1_000);
                  (ok ? accepted : failed).incrementAndGet();
                }
                return null;
              }));
    }
    for (java.util.concurrent.Future<?> client : running) {
      client.get();
    }
    return new AtomicLong[] {accepted, failed};
  }

  private static int post(HttpClient http, String base, String contentType, String body)
      throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(base + "/readings"))
                .header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static SensorReading reading(int client, long sequence) {
    return SensorReading.newBuilder()
        .setDeviceId("device-" + client + "-" + (sequence % 100))
        .setTimestamp(Instant.now())
        .setTemperatureC(20 + sequence % 70)
        .setHumidity(null)
        .build();
  }

  private static String json(int client, long sequence) {
    return "{\"deviceId\": \"device-"
        + client
        + "-"
        + (sequence % 100)
        + "\", \"timestamp\": \""
        + Instant.now()
        + "\", \"temperatureC\": "
        + (20 + sequence % 70)
        + "}";
  }
}
