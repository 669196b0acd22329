package io.runnel.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.runnel.embedded.EmbeddedKafkaBroker;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.RunnelHeaders;
import io.runnel.runtime.UsageSettings;
import io.runnel.support.FunctionDescriptors;
import io.runnel.test.HealthProbe;
import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import io.runnel.usage.UsageRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Least privilege on a real broker: Kafka authenticates every client with SASL/SCRAM-SHA-512 and
 * its {@code StandardAuthorizer} denies what no ACL allows. A function app running as its own user,
 * granted only the ACLs its functions' declarations call for, works end to end (at-least-once with
 * a retry topic, exactly-once, dead letters, usage records), and may not read a topic it did not
 * declare. The dev registry keeps its state on the test kit's broker: it is not what is secured
 * here, and clients reach it over plain HTTP.
 */
@RunnelTest(startContext = false)
class LeastPrivilegeAclTest {

  private static final Duration LONG = Duration.ofSeconds(120);
  private static final String ADMIN = "admin";
  private static final String ADMIN_PASSWORD = "admin-secret";
  private static final String APP_USER = "acl-app";
  private static final String APP_PASSWORD = "acl-app-secret";
  private static final String UNDECLARED = "acl.undeclared";

  @TempDir static Path brokerDir;
  private static EmbeddedKafkaBroker broker;
  private static RunnelTestKit asAdmin;

  @BeforeAll
  static void startASecuredBrokerWithTheAppsUserAndItsAcls(RunnelTestKit kit) {
    broker =
        EmbeddedKafkaBroker.startSecured(
            brokerDir, 0, ADMIN, ADMIN_PASSWORD, Map.of("auto.create.topics.enable", "false"));
    broker.createTopics(
        Stream.of(
                "acl.alo.in",
                "acl.alo.in.retry.1",
                "acl.alo.in.dlq",
                "acl.alo.out",
                "acl.eos.in",
                "acl.eos.in.dlq",
                "acl.eos.out",
                "runnel.usage",
                UNDECLARED)
            .map(topic -> new NewTopic(topic, 2, (short) 1))
            .collect(Collectors.toSet()));
    broker.createScramUser(APP_USER, APP_PASSWORD);
    // Exactly what `runnel manifests` grants the app's KafkaUser, from the app's own declarations.
    Map<String, Object> declarations = new HashMap<>(appProperties(kit));
    declarations.put("runnel.runtime.enabled", false);
    try (ApplicationContext app = ApplicationContext.run(declarations)) {
      broker.createAcls(
          FunctionAcls.of(
              "User:" + APP_USER,
              app.getBean(FunctionDescriptors.class).enabled(),
              Optional.of(app.getBean(UsageSettings.class).getTopic())));
    }
    asAdmin =
        RunnelTestKit.connect(broker.clientProperties(ADMIN, ADMIN_PASSWORD), kit.registryUrl());
  }

  @AfterAll
  static void stopTheSecuredBroker() {
    if (asAdmin != null) {
      asAdmin.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private static SensorReading reading(String device, double sequence) {
    return SensorReading.newBuilder()
        .setDeviceId(device)
        .setTimestamp(Instant.now())
        .setTemperatureC(sequence)
        .build();
  }

  @Test
  void functionsRunAsTheirUserWithOnlyTheAclsTheirDeclarationsCallFor(RunnelTestKit kit) {
    try (ApplicationContext context = ApplicationContext.run(appProperties(kit))) {
      for (String function : List.of("acl-alo", "acl-eos")) {
        HealthProbe.await(context, function, "UP", LONG);
      }
      for (String input : List.of("acl.alo.in", "acl.eos.in")) {
        for (int i = 0; i < 5; i++) {
          asAdmin.send(input, "k" + i, reading("d-" + i, i));
        }
        asAdmin.send(input, AclTestFunctions.POISON, reading(AclTestFunctions.POISON, 0));
      }
      asAdmin.awaitRecords("acl.alo.out", 5, record -> true, LONG);
      asAdmin.awaitRecords("acl.eos.out", 5, record -> true, LONG);
      asAdmin.awaitRecords("acl.alo.in.retry.1", 1, record -> true, LONG);
      for (String deadLetterTopic : List.of("acl.alo.in.dlq", "acl.eos.in.dlq")) {
        ReceivedRecord deadLetter =
            asAdmin.awaitRecords(deadLetterTopic, 1, record -> true, LONG).get(0);
        assertThat(deadLetter.header(RunnelHeaders.ERROR_EXCEPTION_MESSAGE))
            .isEqualTo("a poisoned reading");
      }
      assertThat(HealthProbe.read(context, "kafka").getStatus().getName()).isEqualTo("UP");
    }
    // Closing publishes the usage of the minute begun.
    assertThat(
            asAdmin.awaitRecords("runnel.usage", 2, record -> true, LONG).stream()
                .map(record -> record.value(UsageRecord.class).getFunction())
                .collect(Collectors.toSet()))
        .isEqualTo(Set.of("acl-alo", "acl-eos"));
  }

  @Test
  void theAppsUserMayNotReadATopicItsFunctionsDoNotDeclare() {
    Map<String, Object> config = new HashMap<>(broker.clientProperties(APP_USER, APP_PASSWORD));
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "runnel-acl-alo");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(new TopicPartition(UNDECLARED, 0)));
      assertThatThrownBy(() -> consumer.poll(LONG))
          .isInstanceOfSatisfying(
              TopicAuthorizationException.class,
              denied -> assertThat(denied.unauthorizedTopics()).containsExactly(UNDECLARED));
    }
  }

  @Test
  void aFunctionConfiguredToReadAnUndeclaredTopicStopsStartUpNamingTheDeniedTopics(
      RunnelTestKit kit) {
    Map<String, Object> properties = appProperties(kit);
    properties.put("runnel.functions.acl-alo.topics", UNDECLARED);
    assertThatThrownBy(() -> ApplicationContext.run(properties).close())
        .satisfies(
            e -> {
              StringBuilder messages = new StringBuilder();
              for (Throwable t = e; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
              }
              assertThat(messages.toString())
                  .contains(
                      "Not authorized to use topics: "
                          + UNDECLARED
                          + " (input of function acl-alo); "
                          + UNDECLARED
                          + ".dlq (dead-letter topic of function acl-alo); "
                          + UNDECLARED
                          + ".retry.1 (retry topic of function acl-alo)",
                      "Least-privilege ACLs");
            });
  }

  /** The app's settings: its user's SASL login for consumers, producers and admin clients. */
  private static Map<String, Object> appProperties(RunnelTestKit kit) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("runnel.test.suite", "acl");
    properties.put("runnel.schema-registry.url", kit.registryUrl());
    properties.put("runnel.runtime.create-topics", "false");
    // The manifests tests' own functions share this classpath: not part of this app.
    for (String other : List.of("temperature-alert", "device-commands")) {
      properties.put("runnel.functions." + other + ".enabled", false);
    }
    broker
        .clientProperties(APP_USER, APP_PASSWORD)
        .forEach(
            (key, value) -> {
              if (key.equals(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                properties.put("runnel.kafka.bootstrap-servers", value);
              } else {
                properties.put("runnel.kafka.consumer." + key, value);
                properties.put("runnel.kafka.producer." + key, value);
              }
            });
    return properties;
  }
}
