package io.runnel.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

  @TempDir Path dataDir;

  @Test
  void recordsWrittenBeforeARestartAreReadAfterIt() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0)) {
      broker.createTopics(Set.of(new NewTopic("kept", 1, (short) 1)));
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
              new StringSerializer(),
              new StringSerializer())) {
        producer.send(new ProducerRecord<>("kept", "k", "before restart")).get();
      }
    }
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0);
        KafkaConsumer<String, String> consumer =
            new KafkaConsumer<>(
                Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "reader",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(),
                new StringDeserializer())) {
      consumer.subscribe(List.of("kept"));
      long deadline = System.currentTimeMillis() + 30_000;
      ConsumerRecords<String, String> records = ConsumerRecords.empty();
      while (records.isEmpty() && System.currentTimeMillis() < deadline) {
        records = consumer.poll(Duration.ofMillis(500));
      }
      assertThat(records).extracting(r -> r.value()).containsExactly("before restart");
    }
  }

  @Test
  void aSecuredBrokerLetsAUserDoOnlyWhatItsAclsGrant() throws Exception {
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.startSecured(dataDir, 0, "admin", "admin-secret", Map.of())) {
      broker.createTopics(
          Set.of(new NewTopic("granted", 1, (short) 1), new NewTopic("withheld", 1, (short) 1)));
      broker.createScramUser("alice", "alice-secret");
      broker.createAcls(
          List.of(
              new AclBinding(
                  new ResourcePattern(ResourceType.TOPIC, "granted", PatternType.LITERAL),
                  new AccessControlEntry(
                      "User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW))));
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              broker.clientProperties("alice", "alice-secret"),
              new StringSerializer(),
              new StringSerializer())) {
        producer.send(new ProducerRecord<>("granted", "k", "allowed")).get();
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>("withheld", "k", "no")).get())
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOf(TopicAuthorizationException.class);
      }
      try (Admin intruder = Admin.create(broker.clientProperties("alice", "wrong"))) {
        assertThatThrownBy(() -> intruder.describeCluster().nodes().get())
            .cause()
            .isInstanceOf(SaslAuthenticationException.class);
      }
    }
  }
}
