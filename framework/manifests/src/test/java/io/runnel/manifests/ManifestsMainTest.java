package io.runnel.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestsMainTest {

  /** The test app as deployed: its name, partitions, replicas and scaling settings. */
  private static final Map<String, Object> SETTINGS =
      Map.of(
          "micronaut.application.name", "telemetry",
          "runnel.runtime.topics.partitions", 6,
          "runnel.runtime.topics.replication-factor", 3,
          "runnel.functions.temperature-alert.scaling.target-lag", 500,
          "runnel.functions.temperature-alert.scaling.min-replicas", 0,
          "runnel.functions.temperature-alert.scaling.max-replicas", 4,
          "runnel.functions.device-commands.scaling.min-replicas", 0,
          "runnel.functions.device-commands.scaling.max-replicas", 6);

  private static final List<String> TOPICS =
      List.of(
          "iot.telemetry",
          "iot.telemetry.retry.1",
          "iot.telemetry.retry.2",
          "iot.telemetry.dlq",
          "iot.alerts",
          "iot.manual",
          "iot.commands",
          "iot.commands.failed",
          "runnel.usage");

  @TempDir Path folder;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, Object> settings, String... args) {
    return ManifestsMain.run(
        args,
        settings,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /** The KafkaUser's ACLs, one "resource pattern operation" line each. */
  private static Set<String> aclsOf(Path manifests) throws IOException {
    KafkaUser user =
        single(TypedManifests.read(manifests.resolve("kafka-user.yaml"), KafkaUser.class));
    Set<String> acls = new TreeSet<>();
    for (AclRule rule :
        ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls()) {
      String resource =
          switch (rule.getResource()) {
            case AclRuleTopicResource topic ->
                "topic " + topic.getName() + " " + topic.getPatternType();
            case AclRuleGroupResource group ->
                "group " + group.getName() + " " + group.getPatternType();
            case AclRuleTransactionalIdResource id ->
                "transactionalId " + id.getName() + " " + id.getPatternType();
            default -> throw new AssertionError("unexpected resource " + rule.getResource());
          };
      rule.getOperations().forEach(operation -> acls.add(resource + " " + operation));
    }
    return acls;
  }

  private Path generate() {
    Path manifests = folder.resolve("k8s");
    int exit =
        run(
            SETTINGS,
            "--out",
            manifests.toString(),
            "--image",
            "registry.example.com/telemetry:1.0");
    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return manifests;
  }

  @Test
  void deploymentProbesTheHealthPathsAndOutlastsTheDrain() throws IOException {
    Path manifests = generate();

    Deployment deployment =
        single(TypedManifests.read(manifests.resolve("deployment.yaml"), Deployment.class));
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(deployment.getMetadata().getName()).isEqualTo("telemetry");
    assertThat(container.getImage()).isEqualTo("registry.example.com/telemetry:1.0");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/liveness");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/readiness");
    assertThat(container.getPorts())
        .singleElement()
        .satisfies(
            port -> {
              assertThat(port.getContainerPort()).isEqualTo(8080);
              assertThat(port.getName())
                  .isEqualTo(container.getReadinessProbe().getHttpGet().getPort().getStrVal());
            });
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
    // runnel.runtime.drain-timeout is 30s by default.
    assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .isGreaterThan(30);
    Map<String, EnvVar> env =
        container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, var -> var));
    assertThat(env.get("RUNNEL_RUNTIME_INSTANCE_ID").getValueFrom().getFieldRef().getFieldPath())
        .as("exactly-once: the transactional id names the pod")
        .isEqualTo("metadata.name");
    assertThat(env.get("KAFKA_PASSWORD").getValueFrom().getSecretKeyRef().getName())
        .as("Strimzi's secret of the KafkaUser")
        .isEqualTo("telemetry");
    assertThat(env.get("RUNNEL_RUNTIME_CREATE_TOPICS").getValue()).isEqualTo("false");
    assertThat(env.get("MICRONAUT_APPLICATION_JSON").getValue())
        .contains("SCRAM-SHA-512", "username='telemetry'", "password='$(KAFKA_PASSWORD)'");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());

    Service service = single(TypedManifests.read(manifests.resolve("service.yaml"), Service.class));
    assertThat(service.getSpec().getSelector())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            port -> {
              assertThat(port.getPort()).isEqualTo(8080);
              assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
            });

    JsonNode monitor = single(TypedManifests.trees(manifests.resolve("service-monitor.yaml")));
    assertThat(
            CrdSchema.of("/crds/monitoring.coreos.com_servicemonitors.yaml", "v1")
                .problems(monitor))
        .isEmpty();
    monitor
        .path("spec")
        .path("selector")
        .path("matchLabels")
        .fields()
        .forEachRemaining(
            label ->
                assertThat(service.getMetadata().getLabels())
                    .containsEntry(label.getKey(), label.getValue().asText()));
    JsonNode endpoint = single(List.of(monitor.path("spec").path("endpoints").get(0)));
    assertThat(monitor.path("spec").path("endpoints").size()).isEqualTo(1);
    assertThat(endpoint.path("path").asText()).isEqualTo("/prometheus");
    assertThat(endpoint.path("port").asText()).isEqualTo("http");
  }

  @Test
  void kafkaTopicsAreEveryTopicTheFunctionsReadOrWrite() throws IOException {
    Path manifests = generate();

    List<KafkaTopic> topics =
        TypedManifests.read(manifests.resolve("kafka-topics.yaml"), KafkaTopic.class);
    assertThat(topics)
        .extracting(topic -> topic.getSpec().getTopicName())
        .containsExactlyInAnyOrderElementsOf(TOPICS);
    assertThat(topics)
        .allSatisfy(
            topic -> {
              assertThat(topic.getSpec().getPartitions()).isEqualTo(6);
              assertThat(topic.getSpec().getReplicas()).isEqualTo(3);
              assertThat(topic.getMetadata().getLabels())
                  .containsEntry("strimzi.io/cluster", "my-cluster");
            });
  }

  @Test
  void kafkaUserHasExactlyTheLeastPrivilegeAcls() throws IOException {
    Path manifests = generate();

    KafkaUser user =
        single(TypedManifests.read(manifests.resolve("kafka-user.yaml"), KafkaUser.class));
    assertThat(user.getMetadata().getName()).isEqualTo("telemetry");
    assertThat(user.getSpec().getAuthentication())
        .isInstanceOf(KafkaUserScramSha512ClientAuthentication.class);
    assertThat(aclsOf(manifests))
        .containsExactlyInAnyOrder(
            // temperature-alert: reads its input and retry topics, writes its output, dead letters
            // and retry topics, in its default group.
            "topic iot.telemetry LITERAL READ",
            "topic iot.telemetry.retry.1 LITERAL READ",
            "topic iot.telemetry.retry.2 LITERAL READ",
            "topic iot.telemetry.retry.1 LITERAL WRITE",
            "topic iot.telemetry.retry.2 LITERAL WRITE",
            "topic iot.telemetry.dlq LITERAL WRITE",
            "topic iot.alerts LITERAL WRITE",
            "group runnel-temperature-alert LITERAL READ",
            // device-commands, exactly-once.
            "topic iot.alerts LITERAL READ",
            "topic iot.manual LITERAL READ",
            "topic iot.commands LITERAL WRITE",
            "topic iot.commands.failed LITERAL WRITE",
            "group commands LITERAL READ",
            "transactionalId runnel-commands- PREFIX WRITE",
            // Usage records.
            "topic runnel.usage LITERAL WRITE");
  }

  @Test
  void keyedStoresAndGlobalTablesGetCompactedTopicsAndOnlyTheAclsTheyNeed() throws IOException {
    Map<String, Object> settings = new HashMap<>(SETTINGS);
    settings.put("runnel.functions.device-counts.enabled", true);
    Path manifests = folder.resolve("k8s");
    assertThat(run(settings, "--out", manifests.toString()))
        .as(err.toString(StandardCharsets.UTF_8))
        .isZero();

    Map<String, KafkaTopic> topics = new HashMap<>();
    TypedManifests.read(manifests.resolve("kafka-topics.yaml"), KafkaTopic.class)
        .forEach(topic -> topics.put(topic.getSpec().getTopicName(), topic));
    for (String compacted : List.of("runnel-device-counts-counts-changelog", "iot.devices")) {
      assertThat(topics.get(compacted).getSpec().getConfig())
          .containsEntry("cleanup.policy", "compact");
    }
    assertThat(topics.get("iot.telemetry").getSpec().getConfig()).isNullOrEmpty();
    assertThat(aclsOf(manifests))
        .contains(
            "topic runnel-device-counts-counts-changelog LITERAL READ",
            "topic runnel-device-counts-counts-changelog LITERAL WRITE",
            "topic iot.devices LITERAL READ",
            "group runnel-device-counts LITERAL READ")
        .doesNotContain("topic iot.devices LITERAL WRITE");
  }

  @Test
  void scaledObjectFollowsEachFunctionsLagAndMatchesKedasSchema() throws IOException {
    Path manifests = generate();

    List<JsonNode> objects = TypedManifests.trees(manifests.resolve("scaled-object.yaml"));
    CrdSchema scaledObjects = CrdSchema.of("/crds/keda.sh_scaledobjects.yaml", "v1alpha1");
    CrdSchema authentications =
        CrdSchema.of("/crds/keda.sh_triggerauthentications.yaml", "v1alpha1");
    JsonNode authentication = objects.get(0);
    JsonNode scaled = objects.get(1);
    assertThat(authentication.path("kind").asText()).isEqualTo("TriggerAuthentication");
    assertThat(authentications.problems(authentication)).isEmpty();
    assertThat(scaled.path("kind").asText()).isEqualTo("ScaledObject");
    assertThat(scaledObjects.problems(scaled)).isEmpty();

    JsonNode spec = scaled.path("spec");
    assertThat(spec.path("scaleTargetRef").path("name").asText()).isEqualTo("telemetry");
    assertThat(spec.path("pollingInterval").asInt()).isEqualTo(5);
    assertThat(spec.path("minReplicaCount").asInt()).isZero();
    assertThat(spec.path("maxReplicaCount").asInt()).isEqualTo(6);
    Map<String, Map<String, String>> triggers = new HashMap<>();
    for (JsonNode trigger : spec.path("triggers")) {
      assertThat(trigger.path("type").asText()).isEqualTo("kafka");
      assertThat(trigger.path("authenticationRef").path("name").asText())
          .isEqualTo(authentication.path("metadata").path("name").asText());
      Map<String, String> metadata = new HashMap<>();
      trigger
          .path("metadata")
          .fields()
          .forEachRemaining(field -> metadata.put(field.getKey(), field.getValue().asText()));
      triggers.put(metadata.get("consumerGroup") + " " + metadata.get("topic"), metadata);
      assertThat(metadata).containsEntry("limitToPartitionsWithLag", "true");
    }
    assertThat(triggers.keySet())
        .containsExactlyInAnyOrder(
            "runnel-temperature-alert iot.telemetry",
            "runnel-temperature-alert iot.telemetry.retry.1",
            "runnel-temperature-alert iot.telemetry.retry.2",
            "commands iot.alerts",
            "commands iot.manual");
    assertThat(triggers.get("runnel-temperature-alert iot.telemetry"))
        .containsEntry("lagThreshold", "500")
        .containsEntry("activationLagThreshold", "0");
    assertThat(triggers.get("commands iot.alerts"))
        .as("the default target lag; commit markers, one a partition, do not wake it")
        .containsEntry("lagThreshold", "1000")
        .containsEntry("activationLagThreshold", "6");

    JsonNode prometheus =
        single(
            TypedManifests.trees(manifests.resolve("alternatives/scaled-object-prometheus.yaml")));
    assertThat(scaledObjects.problems(prometheus)).isEmpty();
    assertThat(prometheus.path("spec").path("minReplicaCount").asInt())
        .as("the metric comes from running instances")
        .isEqualTo(1);
    List<String> queries = new ArrayList<>();
    prometheus
        .path("spec")
        .path("triggers")
        .forEach(trigger -> queries.add(trigger.path("metadata").path("query").asText()));
    assertThat(queries)
        .containsExactlyInAnyOrder(
            "max(runnel_function_desired_replicas{function=\"temperature-alert\"})",
            "max(runnel_function_desired_replicas{function=\"device-commands\"})");
  }

  @Test
  void anAppWithoutFunctionsIsAnErrorAndWritesNothing() {
    Map<String, Object> settings = new HashMap<>(SETTINGS);
    settings.put("runnel.functions.temperature-alert.enabled", false);
    settings.put("runnel.functions.device-commands.enabled", false);
    Path manifests = folder.resolve("k8s");

    assertThat(run(settings, "--out", manifests.toString())).isEqualTo(ManifestsMain.FAILED);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no enabled @EventFunction");
    assertThat(manifests).doesNotExist();
    assertThat(folder).isEmptyDirectory();
  }

  @Test
  void aSettingThatDoesNotValidateIsNamedAndTheOutputIsLeftAlone() throws IOException {
    Path manifests = Files.createDirectories(folder.resolve("k8s"));
    Files.writeString(manifests.resolve("deployment.yaml"), "kept");
    Map<String, Object> settings = new HashMap<>(SETTINGS);
    settings.put("runnel.functions.temperature-alert.scaling.target-lag", 0);

    assertThat(run(settings, "--out", manifests.toString())).isEqualTo(ManifestsMain.FAILED);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("runnel.functions.temperature-alert.scaling.target-lag");
    try (Stream<Path> files = Files.list(manifests)) {
      assertThat(files).containsExactly(manifests.resolve("deployment.yaml"));
    }
    assertThat(manifests.resolve("deployment.yaml")).hasContent("kept");
    try (Stream<Path> files = Files.list(folder)) {
      assertThat(files).as("no staging folder left behind").containsExactly(manifests);
    }
  }

  @Test
  void exactlyOnceScalingToZeroNeedsThePartitionCount() {
    Map<String, Object> settings = new HashMap<>(SETTINGS);
    settings.remove("runnel.runtime.topics.partitions");
    Path manifests = folder.resolve("k8s");

    assertThat(run(settings, "--out", manifests.toString())).isEqualTo(ManifestsMain.FAILED);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("device-commands", "runnel.runtime.topics.partitions");
    assertThat(manifests).doesNotExist();
  }

  @Test
  void badUsageNamesTheOption() {
    assertThat(run(SETTINGS, "--image", "x")).isEqualTo(ManifestsMain.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--out");
  }

  private static <T> T single(List<T> objects) {
    assertThat(objects).hasSize(1);
    return objects.get(0);
  }
}
