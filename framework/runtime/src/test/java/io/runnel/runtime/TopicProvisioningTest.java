package io.runnel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.RunnelHeaders;
import io.runnel.test.Await;
import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On a broker that creates no topic by itself (as most managed clusters): start-up creates what the
 * functions need or fails naming what is missing, and an emit to a missing topic fails its
 * invocation instead of stalling the instance's shared producer.
 */
@RunnelTest(
    startContext = false,
    brokerProperties = {"auto.create.topics.enable=false"})
class TopicProvisioningTest {

  private static final Duration LONG = Duration.ofSeconds(90);

  /**
   * The class's own registry is fresh: its first write may take longer than a client's request
   * timeout on a busy machine, so the schemas the tests send are registered until it answers.
   */
  @BeforeAll
  static void registerTheSentSchemas(RunnelTestKit kit) {
    for (String topic : List.of("prov.in", "stall.in", "flow.in")) {
      Await.until(
          "the registry registers " + topic + "-value",
          LONG,
          () -> {
            try {
              kit.registerSchema(topic + "-value", SensorReading.getClassSchema());
              return true;
            } catch (RuntimeException e) {
              return false;
            }
          });
    }
  }

  @Test
  void missingTopicsAreCreatedAtStartWithPartitionsLikeTheInputsTheyAreWrittenFrom(
      RunnelTestKit kit) throws Exception {
    try (Admin admin = admin(kit)) {
      admin
          .createTopics(Set.of(new NewTopic("prov.in", 3, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
      try (ApplicationContext context =
          ApplicationContext.run(properties(kit, "topics-provisioned"))) {
        Map<String, Integer> partitions =
            partitions(
                admin,
                List.of(
                    "prov.in",
                    "prov.other",
                    "prov.out",
                    "prov.in.dlq",
                    "prov.in.retry.1",
                    "prov.other.dlq",
                    "prov.other.retry.1"));
        assertThat(partitions)
            .as(
                "prov.other is created with the broker's default (1); prov.out follows the larger input")
            .isEqualTo(
                Map.of(
                    "prov.in", 3,
                    "prov.other", 1,
                    "prov.out", 3,
                    "prov.in.dlq", 3,
                    "prov.in.retry.1", 3,
                    "prov.other.dlq", 1,
                    "prov.other.retry.1", 1));
        kit.send("prov.in", "k", ExecutionEngineTest.reading("k", 1));
        kit.awaitRecords("prov.out", 1, record -> true, LONG);
      }
    }
  }

  @Test
  void withCreationOffStartUpFailsNamingEachMissingTopicAndCreatesNone(RunnelTestKit kit)
      throws Exception {
    try (Admin admin = admin(kit)) {
      admin
          .createTopics(Set.of(new NewTopic("off.in", 2, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
      Map<String, Object> properties = properties(kit, "topics-provisioned");
      properties.put("runnel.runtime.create-topics", "false");
      properties.put("runnel.functions.provisioned.topics", "off.in,off.absent");
      properties.put("runnel.functions.provisioned.output-topic", "off.out");
      ConfigurationValidationTest.assertStartFails(
          properties,
          "off.absent (input of function provisioned)",
          "off.out (output of function provisioned)",
          "off.in.dlq (dead-letter topic of function provisioned)",
          "off.in.retry.1 (retry topic of function provisioned)",
          "runnel.runtime.create-topics is false");
      assertThat(admin.listTopics().names().get(60, TimeUnit.SECONDS))
          .filteredOn(name -> name.startsWith("off."))
          .containsExactly("off.in");
    }
  }

  @Test
  void anEmitToAMissingTopicFailsItsInvocationIntoTheDeadLetterTopicWhileOtherFunctionsFlow(
      RunnelTestKit kit) {
    Map<String, Object> properties = properties(kit, "topics-stall");
    // The first emit to a topic waits this long for its metadata before it fails.
    properties.put("runnel.kafka.producer.max.block.ms", "2000");
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      TopicTestFunctions.EmittingToAMissingTopicFunction emitting =
          context.getBean(TopicTestFunctions.EmittingToAMissingTopicFunction.class);
      kit.send("stall.in", "lost", ExecutionEngineTest.reading("lost", 1));
      Await.until("the emitting function invoked", LONG, () -> emitting.attempts.get() > 0);
      for (int i = 0; i < 20; i++) {
        kit.send("flow.in", "k" + i, ExecutionEngineTest.reading("k" + i, i));
      }
      kit.awaitRecords("flow.out", 20, record -> true, LONG);
      ReceivedRecord deadLetter = kit.awaitRecords("stall.in.dlq", 1, record -> true, LONG).get(0);
      assertThat(deadLetter.header(RunnelHeaders.ERROR_EXCEPTION_MESSAGE))
          .contains("stall.nowhere");
      assertThat(emitting.attempts.get()).as("max-attempts, then the dead letter").isEqualTo(2);
    }
  }

  @Test
  void topicSettingsOutOfRangeAreNamed() {
    Map<String, Object> properties = ConfigurationValidationTest.valid();
    properties.put("runnel.runtime.topics.partitions", "0");
    ConfigurationValidationTest.assertStartFails(
        properties, "runnel.runtime.topics.partitions must be at least 1, was 0");
    properties = ConfigurationValidationTest.valid();
    properties.put("runnel.runtime.topics.replication-factor", "0");
    ConfigurationValidationTest.assertStartFails(
        properties, "runnel.runtime.topics.replication-factor must be at least 1, was 0");
  }

  private static Map<String, Object> properties(RunnelTestKit kit, String suite) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("runnel.test.suite", suite);
    properties.put("runnel.kafka.bootstrap-servers", kit.bootstrapServers());
    properties.put("runnel.schema-registry.url", kit.registryUrl());
    return properties;
  }

  private static Admin admin(RunnelTestKit kit) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrapServers()));
  }

  private static Map<String, Integer> partitions(Admin admin, List<String> topics)
      throws Exception {
    return admin.describeTopics(topics).allTopicNames().get(60, TimeUnit.SECONDS).values().stream()
        .collect(
            Collectors.toMap(
                TopicDescription::name, description -> description.partitions().size()));
  }
}
