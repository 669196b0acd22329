package io.runnel.benchmarks;

import io.runnel.examples.iot.SensorReading;
import io.runnel.examples.iot.TemperatureAlert;
import io.runnel.registry.serde.AvroDeserializer;
import io.runnel.registry.serde.AvroSerializer;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How long a function service takes from process start to its first event handled: the examples'
 * image entry point ({@code io.runnel.runtime.FunctionService} on function-examples' jar and
 * runtime dependencies, as {@code ImageEntryPointTest} runs it on its classes) in a JVM of its own,
 * against this JVM's broker and registry, already up.
 *
 * <p>Before each start a hot reading waits on {@code iot.telemetry}; the time is from just before
 * the process is started to the broker's append time of the alert the service emits for it ({@code
 * iot.alerts} has {@code message.timestamp.type=LogAppendTime}). Then the service gets SIGTERM and
 * commits, so the next start finds only its own reading. The group is the same across starts, as a
 * restarted container's.
 *
 * <p>Each variant is a set of JVM options; the AppCDS variant first makes its archive with one
 * training start ({@code -XX:ArchiveClassesAtExit}, dumped when the JVM exits after SIGTERM), then
 * starts with {@code -XX:SharedArchiveFile}; the AOT cache variant (JDK 25, JEP 483/514) does the
 * same with {@code -XX:AOTCacheOutput} and {@code -XX:AOTCache}.
 */
@Command(name = "cold-start-benchmark", mixinStandardHelpOptions = true)
public final class ColdStartBenchmark implements Callable<Integer> {

  private static final Duration PATIENCE = Duration.ofSeconds(120);

  @Option(names = "--starts", description = "Starts per variant (default: ${DEFAULT-VALUE}).")
  int starts = 10;

  @Option(
      names = "--variants",
      split = ",",
      description = "default, appcds, aot-cache (default: ${DEFAULT-VALUE}).")
  List<String> variants = List.of("default", "appcds", "aot-cache");

  @Option(
      names = "--module",
      description =
          "The function module, packaged (its jar and target/image-classpath.txt) (default: ${DEFAULT-VALUE}).")
  Path module = Path.of("..", "function-examples");

  @Option(
      names = "--jvm-args",
      split = " ",
      description = "JVM options every start gets, e.g. -XX:TieredStopAtLevel=1 (default: none).")
  List<String> jvmArgs = List.of();

  /** The milliseconds of each start of one variant. */
  record Series(String variant, List<Long> millis) {
    long median() {
      long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
      return sorted.length % 2 == 1
          ? sorted[sorted.length / 2]
          : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ColdStartBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "cold-start"));
    Path dataDir = Files.createTempDirectory("runnel-cold-start");
    List<Series> results = new ArrayList<>();
    try (BenchmarkCluster cluster = new BenchmarkCluster(dataDir)) {
      cluster.createTopic("iot.telemetry", 1);
      cluster.createTopic(
          "iot.alerts", 1, Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));
      Service service = new Service(cluster, classpath(), work);
      for (String variant : variants) {
        List<String> options = new ArrayList<>(jvmArgs);
        switch (variant) {
          case "default" -> {}
          case "appcds" -> {
            Path archive = work.resolve("examples.jsa");
            Files.deleteIfExists(archive);
            train(service, options, "-XX:ArchiveClassesAtExit=" + archive, archive);
            options.add("-XX:SharedArchiveFile=" + archive);
          }
          case "aot-cache" -> {
            Path cache = work.resolve("examples.aot");
            Files.deleteIfExists(cache);
            train(service, options, "-XX:AOTCacheOutput=" + cache, cache);
            options.add("-XX:AOTCache=" + cache);
          }
          default ->
              throw new CommandLine.ParameterException(
                  new CommandLine(this), "Unknown variant " + variant);
        }
        List<Long> millis = new ArrayList<>();
        for (int start = 1; start <= starts; start++) {
          long took = service.firstEventMillis(options, variant + "-" + start);
          millis.add(took);
          System.out.printf(
              "  %-10s start %2d: %,6d ms to the first event%n", variant, start, took);
        }
        results.add(new Series(variant, millis));
      }
    }
    print(results);
    return 0;
  }

  /** One start with {@code recordOption}, whose output the JVM writes as it exits. */
  private static void train(Service service, List<String> options, String recordOption, Path file)
      throws Exception {
    List<String> training = new ArrayList<>(options);
    training.add(recordOption);
    long took = service.firstEventMillis(training, "training-" + file.getFileName());
    System.out.printf("  training start (%s): %,d ms%n", recordOption, took);
    if (!Files.exists(file)) {
      throw new IllegalStateException(
          file + " was not written: see " + service.work.resolve("training-" + file.getFileName()));
    }
  }

  private List<String> classpath() throws IOException {
    Path written = module.resolve("target").resolve("image-classpath.txt");
    if (!Files.exists(written)) {
      throw new IllegalStateException(
          written.toAbsolutePath()
              + " is missing: build the module first (./mvnw package -pl function-examples -am -DskipTests)");
    }
    // The packaged jar, not target/classes: a CDS archive takes only jars on the classpath.
    Path jar;
    try (var files = Files.list(module.resolve("target"))) {
      jar =
          files
              .map(file -> file.getFileName().toString())
              .filter(name -> name.endsWith(".jar") && !name.matches(".*-(sources|javadoc)\\.jar"))
              .map(name -> module.resolve("target").resolve(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "No jar in " + module.resolve("target") + ": package the module first"));
    }
    List<String> classpath = new ArrayList<>();
    classpath.add(jar.toAbsolutePath().toString());
    Arrays.stream(Files.readString(written).trim().split(File.pathSeparator))
        .filter(entry -> !entry.isBlank())
        .forEach(classpath::add);
    return classpath;
  }

  /** The function service: how to start it, and how to see its first event handled. */
  private static final class Service {
    private final BenchmarkCluster cluster;
    private final List<String> classpath;
    private final Path work;
    private final AvroSerializer serializer;
    private final AvroDeserializer deserializer;

    Service(BenchmarkCluster cluster, List<String> classpath, Path work) {
      this.cluster = cluster;
      this.classpath = classpath;
      this.work = work;
      this.serializer = cluster.serializer();
      this.deserializer = cluster.deserializer(TemperatureAlert.class);
    }

    /**
     * Sends a hot reading, starts the service with {@code options}, waits for its alert, stops the
     * service; the milliseconds from process start to the alert's append.
     */
    long firstEventMillis(List<String> options, String name) throws Exception {
      String device = "cold-start-" + UUID.randomUUID();
      try (KafkaProducer<byte[], byte[]> producer = cluster.producer(0)) {
        SensorReading reading =
            SensorReading.newBuilder()
                .setDeviceId(device)
                .setTimestamp(Instant.now())
                .setTemperatureC(95.0)
                .build();
        producer
            .send(
                new ProducerRecord<>(
                    "iot.telemetry",
                    device.getBytes(),
                    serializer.serialize("iot.telemetry", reading)))
            .get(30, TimeUnit.SECONDS);
      }
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.addAll(options);
      command.addAll(
          List.of(
              "-cp",
              String.join(File.pathSeparator, classpath),
              "io.runnel.runtime.FunctionService"));
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(work.resolve(name + ".log").toFile());
      Map<String, String> environment = builder.environment();
      environment.clear();
      environment.putAll(
          Map.of(
              "RUNNEL_KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
              "RUNNEL_SCHEMA_REGISTRY_URL", cluster.registryUrl(),
              "MICRONAUT_SERVER_PORT", String.valueOf(freePort())));
      try (KafkaConsumer<byte[], byte[]> alerts = cluster.consumer("cold-start-" + name)) {
        alerts.subscribe(List.of("iot.alerts"));
        long started = System.currentTimeMillis();
        Process process = builder.start();
        try {
          long appended = awaitAlert(alerts, device, process, name);
          return appended - started;
        } finally {
          process.destroy();
          if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
          }
        }
      }
    }

    private long awaitAlert(
        KafkaConsumer<byte[], byte[]> alerts, String device, Process process, String name) {
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "The service ended with "
                  + process.exitValue()
                  + ": see "
                  + work.resolve(name + ".log"));
        }
        for (ConsumerRecord<byte[], byte[]> record : alerts.poll(Duration.ofMillis(50))) {
          TemperatureAlert alert =
              (TemperatureAlert) deserializer.deserialize("iot.alerts", record.value());
          if (device.contentEquals(alert.getDeviceId())) {
            return record.timestamp();
          }
        }
      }
      throw new IllegalStateException(
          "No alert within " + PATIENCE + ": see " + work.resolve(name + ".log"));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void print(List<Series> results) {
    long baseline = results.getFirst().median();
    System.out.printf(
        "%n| variant | starts (ms, process start to first event handled) | median (ms) | vs. first |%n");
    System.out.println("|---|---|---|---|");
    results.forEach(
        series ->
            System.out.printf(
                "| %s | %s | %,d | %.2f× |%n",
                series.variant(),
                String.join(", ", series.millis().stream().map(String::valueOf).toList()),
                series.median(),
                (double) series.median() / baseline));
    System.out.println();
  }
}
