package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.embedded.EmbeddedKafkaBroker;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LagCommandTest {

  /** The machine running the tests may be busy: more than the default 10s for the real broker. */
  static final String TIMEOUT = "60s";

  @TempDir static Path dataDir;
  static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void start() {
    broker = EmbeddedKafkaBroker.start(dataDir, 0);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  /**
   * A backlog on three partitions of {@code topic}: partition 0 holds 10 records two hours old and
   * the group committed 4 of them; partition 1 holds 5, all committed; partition 2 holds 7 and the
   * group committed none. Lag: 6 + 0 + 7 = 13.
   */
  static void backlog(String topic, String group) throws Exception {
    broker.createTopics(Set.of(new NewTopic(topic, 3, (short) 1)));
    long twoHoursAgo = Instant.now().minus(Duration.ofHours(2)).toEpochMilli();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      Map<Integer, Integer> counts = Map.of(0, 10, 1, 5, 2, 7);
      for (var entry : counts.entrySet()) {
        for (int i = 0; i < entry.getValue(); i++) {
          producer.send(
              new ProducerRecord<>(topic, entry.getKey(), twoHoursAgo, null, new byte[] {1}));
        }
      }
      producer.flush();
    }
    try (Admin admin =
        Admin.create(Map.of("bootstrap.servers", (Object) broker.bootstrapServers()))) {
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      offsets.put(new TopicPartition(topic, 0), new OffsetAndMetadata(4));
      offsets.put(new TopicPartition(topic, 1), new OffsetAndMetadata(5));
      admin.alterConsumerGroupOffsets(group, offsets).all().get();
    }
  }

  @Test
  void lagOfABacklogPerPartitionInRecordsAndTimeWithTotalsAndDesiredReplicas() throws Exception {
    backlog("lag.orders", "runnel-billing");

    CommandRun run =
        CommandRun.of(
            "lag",
            "billing",
            "--bootstrap-server",
            broker.bootstrapServers(),
            "--timeout",
            TIMEOUT);

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("Group runnel-billing")
        .containsPattern("lag\\.orders +0 +4 +10 +6 +2h0\\dm")
        .containsPattern("lag\\.orders +1 +5 +5 +0 +-")
        .containsPattern("lag\\.orders +2 +- +7 +7 +2h0\\dm")
        .containsPattern(
            "Total lag 13 records, oldest 2h0\\dm; desired replicas 1 \\(target lag 1000, 3"
                + " partitions\\)");

    assertThat(
            CommandRun.of(
                    "lag",
                    "--group",
                    "runnel-billing",
                    "--target-lag",
                    "5",
                    "--bootstrap-server",
                    broker.bootstrapServers(),
                    "--timeout",
                    TIMEOUT)
                .out())
        .as("ceil(13 / 5) = 3 replicas, one per partition")
        .contains("desired replicas 3 (target lag 5, 3 partitions)");
    assertThat(
            CommandRun.of(
                    "lag",
                    "billing",
                    "--target-lag",
                    "2",
                    "--bootstrap-server",
                    broker.bootstrapServers(),
                    "--timeout",
                    TIMEOUT)
                .out())
        .as("ceil(13 / 2) = 7 replicas, capped by the 3 partitions")
        .contains("desired replicas 3 (target lag 2, 3 partitions)");
    assertThat(
            CommandRun.of(
                    "lag", "--bootstrap-server", broker.bootstrapServers(), "--timeout", TIMEOUT)
                .out())
        .as("without a function: every consumer group")
        .contains("Group runnel-billing")
        .contains("Total lag 13 records");
  }

  @Test
  void aGroupThatIsBehindInNothingNeedsNoReplica() throws Exception {
    broker.createTopics(Set.of(new NewTopic("lag.done", 1, (short) 1)));
    try (Admin admin =
        Admin.create(Map.of("bootstrap.servers", (Object) broker.bootstrapServers()))) {
      admin
          .alterConsumerGroupOffsets(
              "runnel-done", Map.of(new TopicPartition("lag.done", 0), new OffsetAndMetadata(0)))
          .all()
          .get();
    }

    CommandRun run =
        CommandRun.of(
            "lag", "done", "--bootstrap-server", broker.bootstrapServers(), "--timeout", TIMEOUT);

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("Total lag 0 records, oldest -; desired replicas 0");
  }

  @Test
  void anUnknownGroupIsAnError() {
    CommandRun run =
        CommandRun.of(
            "lag",
            "no-such-function",
            "--bootstrap-server",
            broker.bootstrapServers(),
            "--timeout",
            TIMEOUT);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().strip())
        .startsWith("runnel: consumer group runnel-no-such-function does not exist")
        .contains("--group")
        .doesNotContain("\n");
  }

  @Test
  void anUnreachableBrokerIsOneLineAndExitCodeOne() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    CommandRun run =
        CommandRun.of(
            "lag", "billing", "--bootstrap-server", "localhost:" + closedPort, "--timeout", "2s");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip())
        .isEqualTo(
            "runnel: cannot reach Kafka at localhost:"
                + closedPort
                + ": no answer within 2s (check --bootstrap-server, and --command-config for"
                + " TLS/SASL)");
  }

  @Test
  void theCommandConfigFileGoesToEveryClient() throws Exception {
    Path config = dataDir.resolve("client.properties");
    // A TLS client against the plaintext broker cannot get an answer.
    Files.writeString(config, "security.protocol=SSL\n");

    CommandRun run =
        CommandRun.of(
            "lag",
            "billing",
            "--bootstrap-server",
            broker.bootstrapServers(),
            "--command-config",
            config.toString(),
            "--timeout",
            "2s");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("runnel: cannot reach Kafka at " + broker.bootstrapServers());

    CommandRun missing =
        CommandRun.of(
            "lag",
            "billing",
            "--bootstrap-server",
            broker.bootstrapServers(),
            "--command-config",
            dataDir.resolve("missing.properties").toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).startsWith("runnel: cannot read --command-config");
  }

  @Test
  void helpListsEverySubcommandAndTheExitCodes() {
    CommandRun run = CommandRun.of("--help");

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("dlq replay")
        .contains("lag")
        .contains("Exit codes")
        .contains("2   bad usage");
    CommandRun lagHelp = CommandRun.of("lag", "--help");
    assertThat(lagHelp.out())
        .contains("--bootstrap-server")
        .contains("--command-config")
        .contains("--timeout")
        .contains("--verbose")
        .contains("--watch");
  }

  @Test
  void badUsageIsExitCodeTwo() {
    CommandRun run =
        CommandRun.of("lag", "billing", "--bootstrap-server", "localhost:1", "--timeout", "soon");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--timeout").contains("soon");
  }
}
