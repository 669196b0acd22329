package io.runnel.manifests.internals;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The options of {@code runnel manifests} that shape the manifests beyond the app's declarations:
 * where they go, the app's name, image and namespace, the Strimzi cluster, the addresses the app
 * and KEDA reach, and the container's resources.
 */
public record ManifestOptions(
    Path out,
    Optional<String> name,
    Optional<String> image,
    Optional<String> namespace,
    String kafkaCluster,
    Optional<String> bootstrapServers,
    String securityProtocol,
    String schemaRegistryUrl,
    String prometheusUrl,
    String cpu,
    String memory) {

  /** The options, each {@code --name value}; every one is optional but {@code --out}. */
  public static final List<String> NAMES =
      List.of(
          "--out",
          "--name",
          "--image",
          "--namespace",
          "--kafka-cluster",
          "--bootstrap-servers",
          "--security-protocol",
          "--schema-registry-url",
          "--prometheus-url",
          "--cpu",
          "--memory");

  // A DNS-1123 label: what Kubernetes accepts as the name of a Deployment, Service or namespace.
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /**
   * Parses {@code args}.
   *
   * @throws IllegalArgumentException saying which option is unknown, lacks its value or is wrong
   */
  public static ManifestOptions parse(String[] args) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      String value = null;
      int equals = option.indexOf('=');
      if (equals > 0) {
        value = option.substring(equals + 1);
        option = option.substring(0, equals);
      } else if (i + 1 < args.length) {
        value = args[++i];
      }
      if (!NAMES.contains(option)) {
        throw new IllegalArgumentException(
            "Unknown option " + option + "; the options are " + NAMES);
      }
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      values.put(option, value);
    }
    if (!values.containsKey("--out")) {
      throw new IllegalArgumentException("--out DIR is required: where the manifests go");
    }
    Optional.ofNullable(values.get("--name")).ifPresent(name -> requireLabel("--name", name));
    Optional.ofNullable(values.get("--namespace"))
        .ifPresent(namespace -> requireLabel("--namespace", namespace));
    String protocol = values.getOrDefault("--security-protocol", "SASL_PLAINTEXT");
    if (!protocol.equals("SASL_PLAINTEXT") && !protocol.equals("SASL_SSL")) {
      throw new IllegalArgumentException(
          "--security-protocol must be SASL_PLAINTEXT or SASL_SSL (the KafkaUser authenticates"
              + " with SCRAM-SHA-512), was "
              + protocol);
    }
    return new ManifestOptions(
        Path.of(values.get("--out")),
        Optional.ofNullable(values.get("--name")),
        Optional.ofNullable(values.get("--image")),
        Optional.ofNullable(values.get("--namespace")),
        values.getOrDefault("--kafka-cluster", "my-cluster"),
        Optional.ofNullable(values.get("--bootstrap-servers")),
        protocol,
        values.getOrDefault("--schema-registry-url", "http://schema-registry:8081"),
        values.getOrDefault("--prometheus-url", "http://prometheus-operated.monitoring:9090"),
        values.getOrDefault("--cpu", "500m"),
        values.getOrDefault("--memory", "512Mi"));
  }

  /** Whether {@code name} can name a Kubernetes object or namespace. */
  public static boolean isLabel(String name) {
    return LABEL.matcher(name).matches();
  }

  private static void requireLabel(String option, String value) {
    if (!isLabel(value)) {
      throw new IllegalArgumentException(
          option
              + " must be a Kubernetes name (lower case letters, digits and '-', at most 63), was "
              + value);
    }
  }
}
