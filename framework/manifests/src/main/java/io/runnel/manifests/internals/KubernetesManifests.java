package io.runnel.manifests.internals;

import io.micronaut.context.exceptions.ConfigurationException;
import io.runnel.support.FunctionDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.resource.PatternType;

/**
 * The Kubernetes objects of one function app, as YAML-ready trees, by file: its Deployment, Service
 * and ServiceMonitor, the Strimzi {@code KafkaTopic}s of every topic its functions read or write
 * and its {@code KafkaUser} (SCRAM-SHA-512, with the ACLs it is given, {@code FunctionAcls}'
 * derivation), and a KEDA {@code ScaledObject} that scales the Deployment by its functions' lag; an
 * alternative ScaledObject on the Prometheus scaler goes in {@code alternatives/}.
 */
public final class KubernetesManifests {

  /** The port name of the app's HTTP server in the Deployment, Service and ServiceMonitor. */
  static final String HTTP = "http";

  static final String LIVENESS = "/health/liveness";
  static final String READINESS = "/health/readiness";
  static final String METRICS = "/prometheus";

  // Beyond the drain: closing clients, the last commit and the JVM's exit.
  private static final long GRACE_BEYOND_DRAIN_SECONDS = 15;
  private static final String PASSWORD_VARIABLE = "KAFKA_PASSWORD";
  private static final String USERNAME_VARIABLE = "KAFKA_USERNAME";
  private static final String CA_MOUNT = "/etc/runnel/kafka-ca";

  private final String app;
  private final AppDeclarations declarations;
  private final ManifestOptions options;

  private final List<AclBinding> acls;

  /** The manifests of {@code app}, whose principal {@code User:<app>} gets {@code acls}. */
  public KubernetesManifests(
      String app, AppDeclarations declarations, List<AclBinding> acls, ManifestOptions options) {
    this.acls = List.copyOf(acls);
    this.app = app;
    this.declarations = declarations;
    this.options = options;
    check();
  }

  /** The objects, by file name relative to the output folder, in the order to apply them. */
  public Map<String, List<Map<String, Object>>> files() {
    Map<String, List<Map<String, Object>>> files = new LinkedHashMap<>();
    files.put("kafka-topics.yaml", kafkaTopics());
    files.put("kafka-user.yaml", List.of(kafkaUser()));
    files.put("deployment.yaml", List.of(deployment()));
    files.put("service.yaml", List.of(service()));
    files.put("service-monitor.yaml", List.of(serviceMonitor()));
    files.put("scaled-object.yaml", List.of(triggerAuthentication(), kafkaScaledObject()));
    files.put("alternatives/scaled-object-prometheus.yaml", List.of(prometheusScaledObject()));
    return files;
  }

  /** Settings that each validate but do not fit together in a deployment. */
  private void check() {
    if (declarations.anyExactlyOnce()
        && minReplicas() == 0
        && declarations.partitions().isEmpty()) {
      throw new ConfigurationException(
          "Exactly-once functions "
              + exactlyOnceNames()
              + " may scale to zero (scaling.min-replicas is 0): set runnel.runtime.topics.partitions,"
              + " so that the ScaledObject can tell their commit markers (one per partition) from"
              + " records to handle");
    }
    for (FunctionDescriptor function : declarations.functions()) {
      if (function.scaling().maxReplicas().isPresent()
          && declarations.partitions().isPresent()
          && function.scaling().maxReplicas().getAsInt() > declarations.partitions().get()) {
        throw new ConfigurationException(
            "runnel.functions."
                + function.name()
                + ".scaling.max-replicas is "
                + function.scaling().maxReplicas().getAsInt()
                + ", more than the "
                + declarations.partitions().get()
                + " partitions of runnel.runtime.topics.partitions: a replica without a partition"
                + " idles");
      }
    }
  }

  private List<Map<String, Object>> kafkaTopics() {
    Set<String> topics = new LinkedHashSet<>();
    Set<String> compacted = new LinkedHashSet<>();
    for (FunctionDescriptor function : declarations.functions()) {
      FunctionTopics functionTopics = FunctionTopics.of(function);
      topics.addAll(functionTopics.all());
      functionTopics.all().stream().filter(functionTopics::compacted).forEach(compacted::add);
    }
    declarations.usageTopic().ifPresent(topics::add);
    List<Map<String, Object>> kafkaTopics = new ArrayList<>();
    for (String topic : topics) {
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("topicName", topic);
      declarations.partitions().ifPresent(partitions -> spec.put("partitions", partitions));
      declarations.replicationFactor().ifPresent(replicas -> spec.put("replicas", (int) replicas));
      if (compacted.contains(topic)) {
        spec.put("config", Map.of("cleanup.policy", "compact"));
      }
      kafkaTopics.add(object("kafka.strimzi.io/v1", "KafkaTopic", topicObjectName(topic), spec));
    }
    return kafkaTopics;
  }

  private Map<String, Object> kafkaUser() {
    // Strimzi lists one resource with its operations; Kafka's bindings are one operation each.
    Map<String, Map<String, Object>> byResource = new LinkedHashMap<>();
    for (AclBinding acl : acls) {
      Map<String, Object> resource =
          map(
              "type", strimziResourceType(acl),
              "name", acl.pattern().name(),
              "patternType",
                  acl.pattern().patternType() == PatternType.PREFIXED ? "prefix" : "literal");
      Map<String, Object> rule =
          byResource.computeIfAbsent(
              resource.toString(),
              key -> map("resource", resource, "operations", new ArrayList<String>(), "host", "*"));
      @SuppressWarnings("unchecked")
      List<String> operations = (List<String>) rule.get("operations");
      operations.add(pascalCase(acl.entry().operation().name()));
    }
    return object(
        "kafka.strimzi.io/v1",
        "KafkaUser",
        app,
        map(
            "authentication", map("type", "scram-sha-512"),
            "authorization", map("type", "simple", "acls", new ArrayList<>(byResource.values()))));
  }

  private Map<String, Object> deployment() {
    Map<String, Object> container = new LinkedHashMap<>();
    container.put("name", app);
    container.put("image", options.image().orElse("runnel/" + app + ":latest"));
    container.put("ports", List.of(map("name", HTTP, "containerPort", declarations.serverPort())));
    container.put("env", environment());
    container.put("startupProbe", probe(LIVENESS, 2, 60));
    container.put("livenessProbe", probe(LIVENESS, 10, 3));
    container.put("readinessProbe", probe(READINESS, 5, 3));
    container.put(
        "resources",
        map(
            "requests", map("cpu", options.cpu(), "memory", options.memory()),
            "limits", map("cpu", options.cpu(), "memory", options.memory())));
    container.put(
        "securityContext",
        map("runAsNonRoot", true, "runAsUser", 65532, "allowPrivilegeEscalation", false));
    Map<String, Object> pod = new LinkedHashMap<>();
    pod.put("terminationGracePeriodSeconds", terminationGraceSeconds());
    pod.put("containers", List.of(container));
    if (options.securityProtocol().equals("SASL_SSL")) {
      container.put(
          "volumeMounts",
          List.of(map("name", "kafka-ca", "mountPath", CA_MOUNT, "readOnly", true)));
      pod.put(
          "volumes",
          List.of(map("name", "kafka-ca", "secret", map("secretName", clusterCaSecret()))));
    }
    return object(
        "apps/v1",
        "Deployment",
        app,
        map(
            "selector", map("matchLabels", selector()),
            "template", map("metadata", map("labels", labels()), "spec", pod)));
  }

  /** Longer than the drain timeout, so that SIGKILL does not cut a drain short. */
  long terminationGraceSeconds() {
    long drain =
        declarations.drainTimeout().toSeconds()
            + (declarations.drainTimeout().toNanosPart() > 0 ? 1 : 0);
    return drain + GRACE_BEYOND_DRAIN_SECONDS;
  }

  private List<Map<String, Object>> environment() {
    List<Map<String, Object>> env = new ArrayList<>();
    env.add(map("name", "RUNNEL_KAFKA_BOOTSTRAP_SERVERS", "value", bootstrapServers()));
    env.add(map("name", "RUNNEL_SCHEMA_REGISTRY_URL", "value", options.schemaRegistryUrl()));
    // The KafkaTopics create the topics; the app's principal may not.
    env.add(map("name", "RUNNEL_RUNTIME_CREATE_TOPICS", "value", "false"));
    if (declarations.anyExactlyOnce()) {
      // A transactional id per replica: runnel-<group>-<pod name>.
      env.add(
          map(
              "name",
              "RUNNEL_RUNTIME_INSTANCE_ID",
              "valueFrom",
              map("fieldRef", map("fieldPath", "metadata.name"))));
    }
    env.add(map("name", USERNAME_VARIABLE, "value", app));
    env.add(
        map(
            "name",
            PASSWORD_VARIABLE,
            "valueFrom",
            map("secretKeyRef", map("name", app, "key", "password"))));
    // Client settings have dots in their keys, which environment variable names cannot carry:
    // Micronaut reads MICRONAUT_APPLICATION_JSON as configuration. Kubernetes puts the password in.
    env.add(map("name", "MICRONAUT_APPLICATION_JSON", "value", clientSettingsJson()));
    return env;
  }

  private String clientSettingsJson() {
    Map<String, String> client = new TreeMap<>();
    client.put("security.protocol", options.securityProtocol());
    client.put("sasl.mechanism", "SCRAM-SHA-512");
    client.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username='"
            + app
            + "' password='$("
            + PASSWORD_VARIABLE
            + ")';");
    if (options.securityProtocol().equals("SASL_SSL")) {
      client.put("ssl.truststore.type", "PEM");
      client.put("ssl.truststore.location", CA_MOUNT + "/ca.crt");
    }
    String settings =
        client.entrySet().stream()
            .map(entry -> "\"" + entry.getKey() + "\":\"" + entry.getValue() + "\"")
            .collect(Collectors.joining(",", "{", "}"));
    return "{\"runnel\":{\"kafka\":{\"consumer\":" + settings + ",\"producer\":" + settings + "}}}";
  }

  private Map<String, Object> probe(String path, int periodSeconds, int failureThreshold) {
    return map(
        "httpGet", map("path", path, "port", HTTP),
        "periodSeconds", periodSeconds,
        "failureThreshold", failureThreshold);
  }

  private Map<String, Object> service() {
    return object(
        "v1",
        "Service",
        app,
        map(
            "selector", selector(),
            "ports",
                List.of(
                    map(
                        "name", HTTP,
                        "port", declarations.serverPort(),
                        "targetPort", HTTP))));
  }

  private Map<String, Object> serviceMonitor() {
    return object(
        "monitoring.coreos.com/v1",
        "ServiceMonitor",
        app,
        map(
            "selector", map("matchLabels", selector()),
            "endpoints", List.of(map("port", HTTP, "path", METRICS, "interval", "15s"))));
  }

  private Map<String, Object> triggerAuthentication() {
    List<Map<String, Object>> secrets = new ArrayList<>();
    secrets.add(map("parameter", "password", "name", app, "key", "password"));
    if (options.securityProtocol().equals("SASL_SSL")) {
      secrets.add(map("parameter", "ca", "name", clusterCaSecret(), "key", "ca.crt"));
    }
    return object(
        "keda.sh/v1alpha1",
        "TriggerAuthentication",
        kedaAuthentication(),
        map(
            // The username is the KafkaUser's name; KEDA reads it from the Deployment's env.
            "env",
            List.of(map("parameter", "username", "name", USERNAME_VARIABLE, "containerName", app)),
            "secretTargetRef",
            secrets));
  }

  /**
   * One Kafka trigger per topic each function's group reads (its inputs and retry topics): lag per
   * replica from {@code scaling.target-lag}, any lag wakes a scaled-to-zero app (for an
   * exactly-once function: more lag than its topic's commit markers, one per partition, can make),
   * replicas limited to partitions with lag, polled every 5 s. The HPA follows the trigger that
   * asks for the most replicas.
   */
  private Map<String, Object> kafkaScaledObject() {
    List<Map<String, Object>> triggers = new ArrayList<>();
    for (FunctionDescriptor function : declarations.functions()) {
      for (String topic : FunctionTopics.of(function).read()) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("bootstrapServers", bootstrapServers());
        metadata.put("consumerGroup", function.group());
        metadata.put("topic", topic);
        metadata.put("lagThreshold", Long.toString(function.scaling().targetLag()));
        metadata.put("activationLagThreshold", Long.toString(activationLag(function)));
        metadata.put("limitToPartitionsWithLag", "true");
        // Runnel's consumers start at the log start (auto.offset.reset earliest): count from there.
        metadata.put("offsetResetPolicy", "earliest");
        metadata.put("sasl", "scram_sha512");
        metadata.put("tls", options.securityProtocol().equals("SASL_SSL") ? "enable" : "disable");
        triggers.add(
            map(
                "type",
                "kafka",
                "name",
                triggerName(function, topic),
                "metadata",
                metadata,
                "authenticationRef",
                map("name", kedaAuthentication())));
      }
    }
    return scaledObject(app, minReplicas(), triggers);
  }

  /**
   * The records of lag that do not yet wake the app from zero replicas: none, but for an
   * exactly-once function its commit markers, which take an offset each and which no consumer
   * commits past, so that up to one per partition stays as lag after all is handled (KEDA issue
   * 5675; excludePersistentLag does not help from one replica to zero).
   */
  private long activationLag(FunctionDescriptor function) {
    return function.exactlyOnce() ? declarations.partitions().orElse(1) : 0;
  }

  /**
   * The alternative: one Prometheus trigger per function on {@code
   * runnel_function_desired_replicas}, which each running instance exports from its own lag monitor
   * (it counts a partition as caught up at the consumer's position, past commit markers). A metric
   * from running instances cannot wake an app with none: this one keeps at least one replica.
   */
  private Map<String, Object> prometheusScaledObject() {
    List<Map<String, Object>> triggers = new ArrayList<>();
    for (FunctionDescriptor function : declarations.functions()) {
      String selector =
          "function=\""
              + function.name()
              + "\""
              + options.namespace().map(namespace -> ",namespace=\"" + namespace + "\"").orElse("");
      triggers.add(
          map(
              "type", "prometheus",
              "name", triggerName(function, "desired-replicas"),
              "metadata",
                  map(
                      "serverAddress",
                      options.prometheusUrl(),
                      "query",
                      "max(runnel_function_desired_replicas{" + selector + "})",
                      // desired replicas / 1 = desired replicas (KEDA's AverageValue metric).
                      "threshold",
                      "1",
                      "activationThreshold",
                      "0")));
    }
    return scaledObject(app, Math.max(1, minReplicas()), triggers);
  }

  private Map<String, Object> scaledObject(
      String name, int minReplicas, List<Map<String, Object>> triggers) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("scaleTargetRef", map("apiVersion", "apps/v1", "kind", "Deployment", "name", app));
    spec.put("pollingInterval", 5);
    spec.put("minReplicaCount", minReplicas);
    maxReplicas().ifPresent(max -> spec.put("maxReplicaCount", max));
    spec.put("triggers", triggers);
    return object("keda.sh/v1alpha1", "ScaledObject", name, spec);
  }

  /** The app's floor: the highest {@code scaling.min-replicas} of its functions. */
  int minReplicas() {
    return declarations.functions().stream()
        .mapToInt(function -> function.scaling().minReplicas())
        .max()
        .orElse(0);
  }

  /**
   * The app's ceiling: the highest {@code scaling.max-replicas} when every function sets one, else
   * the partition count when known, else KEDA's default (and its Kafka scaler's cap at the
   * partitions).
   */
  Optional<Integer> maxReplicas() {
    List<FunctionDescriptor> functions = declarations.functions();
    if (functions.stream().allMatch(function -> function.scaling().maxReplicas().isPresent())) {
      return Optional.of(
          functions.stream()
              .mapToInt(function -> function.scaling().maxReplicas().getAsInt())
              .max()
              .getAsInt());
    }
    return declarations.partitions().map(partitions -> Math.max(partitions, minReplicas()));
  }

  private String bootstrapServers() {
    return options
        .bootstrapServers()
        .orElse(
            options.kafkaCluster()
                + "-kafka-bootstrap:"
                + (options.securityProtocol().equals("SASL_SSL") ? "9093" : "9092"));
  }

  private String clusterCaSecret() {
    return options.kafkaCluster() + "-cluster-ca-cert";
  }

  private String kedaAuthentication() {
    return app + "-kafka";
  }

  private String exactlyOnceNames() {
    return declarations.functions().stream()
        .filter(FunctionDescriptor::exactlyOnce)
        .map(FunctionDescriptor::name)
        .toList()
        .toString();
  }

  private Map<String, Object> object(
      String apiVersion, String kind, String name, Map<String, Object> spec) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    options.namespace().ifPresent(namespace -> metadata.put("namespace", namespace));
    Map<String, Object> labels = labels();
    if (apiVersion.startsWith("kafka.strimzi.io/")) {
      labels.put("strimzi.io/cluster", options.kafkaCluster());
    }
    metadata.put("labels", labels);
    return map("apiVersion", apiVersion, "kind", kind, "metadata", metadata, "spec", spec);
  }

  private Map<String, Object> selector() {
    return map("app.kubernetes.io/name", app);
  }

  private Map<String, Object> labels() {
    return map(
        "app.kubernetes.io/name", app,
        "app.kubernetes.io/part-of", "runnel",
        "app.kubernetes.io/managed-by", "runnel-manifests");
  }

  /**
   * A Kubernetes name for the KafkaTopic of {@code topic}: the topic's name when it is one, else in
   * lower case with '-' for what a name may not hold and a hash of the topic, so that two topics
   * never share one.
   */
  static String topicObjectName(String topic) {
    String name = topic.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    if (name.equals(topic)
        && name.length() <= 253
        && name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
      return name;
    }
    String hash =
        Integer.toHexString(Arrays.hashCode(topic.getBytes(StandardCharsets.UTF_8)) & 0x7fffffff);
    name = name.replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
    return (name.length() > 240 ? name.substring(0, 240) : name) + "-" + hash;
  }

  private static String triggerName(FunctionDescriptor function, String topic) {
    return (function.name() + "-" + topic).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
  }

  private static String strimziResourceType(AclBinding acl) {
    return switch (acl.pattern().resourceType()) {
      case TOPIC -> "topic";
      case GROUP -> "group";
      case TRANSACTIONAL_ID -> "transactionalId";
      case CLUSTER -> "cluster";
      default -> throw new IllegalArgumentException("No Strimzi ACL resource for " + acl.pattern());
    };
  }

  /** READ to Read, IDEMPOTENT_WRITE to IdempotentWrite: Strimzi's names of Kafka's operations. */
  private static String pascalCase(String constant) {
    StringBuilder name = new StringBuilder();
    for (String word : constant.split("_")) {
      name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return name.toString();
  }

  /** An insertion-ordered map of {@code keysAndValues}, for YAML in a readable order. */
  static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
