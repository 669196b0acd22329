package io.runnel.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code runnel manifests}: the Kubernetes manifests of a function app, from what its functions
 * declare. The declarations live in the app's Micronaut context, which this command (no Micronaut
 * of its own) cannot read: it runs the app's {@code io.runnel.manifests.ManifestsMain} (module
 * {@code runnel-manifests}, a dependency of the app) in a JVM with the app's classpath, and passes
 * its exit code on.
 */
@Command(
    name = "manifests",
    mixinStandardHelpOptions = true,
    description = {
      "Writes the Kubernetes manifests of a function app: Deployment, Service, ServiceMonitor,"
          + " Strimzi KafkaTopics and KafkaUser (least-privilege ACLs), KEDA ScaledObject.",
      "The app needs io.runnel:runnel-manifests among its dependencies."
    })
final class ManifestsCommand implements Callable<Integer> {

  static final String MAIN = "io.runnel.manifests.ManifestsMain";

  @Spec CommandSpec spec;

  @Option(
      names = "--app",
      required = true,
      paramLabel = "CLASSPATH",
      description =
          "The function app: its jar (with its Class-Path), its classes folder, or a classpath"
              + " (entries separated by '${sys:path.separator}', 'lib/*' for a folder of jars).")
  String app;

  @Option(names = "--out", required = true, description = "The folder the manifests go to.")
  Path out;

  @Option(
      names = "--name",
      description = "The app's name in Kubernetes; default micronaut.application.name.")
  String name;

  @Option(names = "--image", description = "The app's image; default runnel/<name>:latest.")
  String image;

  @Option(names = "--namespace", description = "The namespace; default none (kubectl's).")
  String namespace;

  @Option(
      names = "--kafka-cluster",
      description = "The Strimzi Kafka cluster (strimzi.io/cluster); default my-cluster.")
  String kafkaCluster;

  @Option(
      names = "--bootstrap-servers",
      description = "Kafka for the app and KEDA; default <kafka-cluster>-kafka-bootstrap:9092.")
  String bootstrapServers;

  @Option(
      names = "--security-protocol",
      description = "SASL_PLAINTEXT (default) or SASL_SSL, with SCRAM-SHA-512.")
  String securityProtocol;

  @Option(
      names = "--schema-registry-url",
      description = "The schema registry; default http://schema-registry:8081.")
  String schemaRegistryUrl;

  @Option(
      names = "--prometheus-url",
      description =
          "Prometheus, for the alternative ScaledObject; default"
              + " http://prometheus-operated.monitoring:9090.")
  String prometheusUrl;

  @Option(names = "--cpu", description = "CPU request and limit; default 500m.")
  String cpu;

  @Option(names = "--memory", description = "Memory request and limit; default 512Mi.")
  String memory;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "A setting of the app as it runs in the cluster (runnel.runtime.topics.partitions=6),"
              + " over its application.yml; repeatable.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--verbose", description = "Show the app's log.")
  boolean verbose;

  @Override
  public Integer call() throws IOException, InterruptedException {
    for (String entry : app.split(File.pathSeparator)) {
      String path = entry.endsWith("*") ? entry.substring(0, entry.length() - 1) : entry;
      if (!path.isEmpty() && !Files.exists(Path.of(path))) {
        throw new ParameterException(spec.commandLine(), "--app: " + entry + " does not exist");
      }
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(app);
    settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
    if (!verbose) {
      // An app logging with slf4j-simple stays quiet but for errors; one with logback logs as its
      // logback.xml says.
      command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=error");
    }
    command.add(MAIN);
    add(command, "--out", out.toString());
    add(command, "--name", name);
    add(command, "--image", image);
    add(command, "--namespace", namespace);
    add(command, "--kafka-cluster", kafkaCluster);
    add(command, "--bootstrap-servers", bootstrapServers);
    add(command, "--security-protocol", securityProtocol);
    add(command, "--schema-registry-url", schemaRegistryUrl);
    add(command, "--prometheus-url", prometheusUrl);
    add(command, "--cpu", cpu);
    add(command, "--memory", memory);
    Process process = new ProcessBuilder(command).start();
    process.getOutputStream().close();
    Thread output =
        Thread.ofVirtual()
            .start(() -> spec.commandLine().getOut().print(read(process.getInputStream())));
    String errors = read(process.getErrorStream());
    int exit = process.waitFor();
    output.join();
    spec.commandLine().getOut().flush();
    if (exit != 0 && errors.contains("Could not find or load main class " + MAIN)) {
      throw new CommandFailure(
          "the app on --app has no "
              + MAIN
              + ": add the dependency io.runnel:runnel-manifests to the app, and build it");
    }
    spec.commandLine().getErr().print(errors);
    spec.commandLine().getErr().flush();
    return exit;
  }

  private static void add(List<String> command, String option, String value) {
    if (value != null) {
      command.add(option);
      command.add(value);
    }
  }

  private static String read(InputStream from) {
    try (InputStream in = from) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CommandFailure("cannot read the output of " + MAIN + ": " + e.getMessage());
    }
  }
}
