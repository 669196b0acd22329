package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.embedded.EmbeddedKafkaBroker;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.SubjectNameStrategy;
import io.runnel.registry.serde.AvroSerializer;
import io.runnel.registry.server.DevSchemaRegistry;
import io.runnel.usage.UsageRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runnel usage} against a real broker and the dev registry, on usage records written the way
 * instances write them: two instances' minutes within the last hour, and older ones.
 */
class UsageCommandTest {

  private static final String TOPIC = "runnel.usage";
  private static final Instant RECENT =
      Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));
  private static final Instant OLD = RECENT.minus(Duration.ofHours(3));

  @TempDir static Path dataDir;
  static EmbeddedKafkaBroker broker;
  static DevSchemaRegistry registry;

  /** The output and exit code of one command. */
  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedKafkaBroker.start(dataDir, 0);
    registry = DevSchemaRegistry.start(broker.bootstrapServers(), 0);
    publish(
        usage("orders", "i-1", RECENT, 10, 1, 1_500_000_000L),
        usage("orders", "i-2", RECENT.plus(Duration.ofMinutes(1)), 5, 0, 250_000_000L),
        usage("orders", "i-1", OLD, 1000, 0, 1_000_000_000L),
        usage("billing", "i-1", RECENT.plus(Duration.ofMinutes(2)), 7, 2, 1_000_000L),
        usage("idle", "i-1", OLD, 1, 0, 1_000L));
  }

  @AfterAll
  static void stop() throws Exception {
    registry.close();
    broker.close();
  }

  /** A usage record whose records and bytes follow from its invocations. */
  static UsageRecord usage(
      String function,
      String instance,
      Instant minute,
      long invocations,
      long failures,
      long busyNanos) {
    return UsageRecord.newBuilder()
        .setFunction(function)
        .setInstanceId(instance)
        .setMinuteStart(minute)
        .setInvocations(invocations)
        .setFailures(failures)
        .setBusyNanos(busyNanos)
        .setRecordsIn(invocations)
        .setBytesIn(invocations * 100)
        .setRecordsOut(invocations - failures)
        .setBytesOut((invocations - failures) * 50)
        .build();
  }

  /** Writes usage records as instances do: wire format, keyed by function, stamped now. */
  static void publish(UsageRecord... records) throws Exception {
    AvroSerializer serializer =
        new AvroSerializer(
            // A fresh registry's first registration creates its topic: slow on a busy machine.
            new SchemaRegistryClient(registry.url(), Duration.ofSeconds(60), null),
            SubjectNameStrategy.TOPIC_NAME,
            true,
            false);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      List<Future<?>> sends = new ArrayList<>();
      for (UsageRecord record : records) {
        sends.add(
            producer.send(
                new ProducerRecord<>(
                    TOPIC,
                    record.getFunction().getBytes(StandardCharsets.UTF_8),
                    serializer.serialize(TOPIC, record))));
      }
      for (Future<?> send : sends) {
        send.get();
      }
    }
  }

  static Run usageOf(String bootstrapServers, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "usage",
                "--bootstrap-servers",
                bootstrapServers,
                "--registry-url",
                registry.url()));
    args.addAll(List.of(options));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        RunnelCli.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  static Run usage(String... options) {
    return usageOf(broker.bootstrapServers(), options);
  }

  @Test
  void csvHasOneRowOfTotalsPerFunctionOverTheMinutesInTheRange() {
    Run run = usage("--since", "1h", "--format", "csv");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out().lines())
        .containsExactly(
            "function,invocations,failures,busy_seconds,records_in,bytes_in,records_out,bytes_out,instances",
            "billing,7,2,0.001,7,700,5,250,1",
            "orders,15,1,1.750,15,1500,14,700,2");
  }

  @Test
  void jsonHasTheSameTotalsAndTheRange() throws Exception {
    Run run = usage("--since", "1h", "--format", "json", "--function", "orders");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode document = new ObjectMapper().readTree(run.out());
    assertThat(document.get("topic").asText()).isEqualTo(TOPIC);
    assertThat(document.get("functions")).hasSize(1);
    JsonNode orders = document.get("functions").get(0);
    assertThat(orders.get("function").asText()).isEqualTo("orders");
    assertThat(orders.get("invocations").asLong()).isEqualTo(15);
    assertThat(orders.get("failures").asLong()).isEqualTo(1);
    assertThat(orders.get("busySeconds").decimalValue()).isEqualByComparingTo("1.75");
    assertThat(orders.get("recordsIn").asLong()).isEqualTo(15);
    assertThat(orders.get("bytesIn").asLong()).isEqualTo(1500);
    assertThat(orders.get("recordsOut").asLong()).isEqualTo(14);
    assertThat(orders.get("bytesOut").asLong()).isEqualTo(700);
    assertThat(orders.get("instances").asInt()).isEqualTo(2);
  }

  @Test
  void untilEndsTheRangeAndATableIsTheDefault() {
    Run run = usage("--since", "4h", "--until", "2h");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("FUNCTION", "INVOCATIONS", "BUSY_SECONDS")
        .containsPattern("idle +1 +0 +0\\.000 ")
        .containsPattern("orders +1000 +0 +1\\.000 ")
        .doesNotContain("billing");
  }

  @Test
  void aFunctionSeenBeforeButIdleInTheRangeHasZeroTotals() {
    Run run = usage("--since", "1h", "--function", "idle", "--format", "csv");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out().lines()).contains("idle,0,0,0.000,0,0,0,0,0");
  }

  @Test
  void aFunctionNeverSeenIsAnErrorThatSaysSo() {
    Run run = usage("--since", "1h", "--function", "nobody");
    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).contains("no usage for function nobody");
  }

  @Test
  void badArgumentsAreRejectedWithWhatIsWrong() {
    Run badDuration = usage("--since", "1x");
    assertThat(badDuration.exit()).isNotZero();
    assertThat(badDuration.err()).contains("--since", "'1x' is neither a duration");
    Run badFormat = usage("--since", "1h", "--format", "xml");
    assertThat(badFormat.exit()).isNotZero();
    assertThat(badFormat.err()).contains("'xml' is not a format: use table, csv or json");
    Run reversed = usage("--since", "1h", "--until", "2h");
    assertThat(reversed.exit()).isNotZero();
    assertThat(reversed.err()).contains("--since", "must be before --until");
  }

  @Test
  void anUnreachableBrokerIsOneLineAndAnError() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Run run = usageOf("localhost:" + closedPort, "--since", "1h");
    assertThat(run.exit()).isNotZero();
    assertThat(run.err().strip()).doesNotContain("\n");
    assertThat(run.err())
        .startsWith("runnel: cannot reach Kafka at localhost:" + closedPort + ": ")
        .contains("--bootstrap-server");
  }
}
