package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.embedded.EmbeddedKafkaBroker;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.SubjectNameStrategy;
import io.runnel.registry.serde.AvroSerializer;
import io.runnel.registry.server.DevSchemaRegistry;
import io.runnel.test.Await;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runnel tail} against a real broker and the dev registry. */
class TailCommandTest {

  private static final Schema READING =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Reading", "namespace": "test",
               "fields": [{"name": "device", "type": "string"},
                          {"name": "celsius", "type": "double"},
                          {"name": "note", "type": ["null", "string"], "default": null}]}""");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir static Path dataDir;
  static EmbeddedKafkaBroker broker;
  static DevSchemaRegistry registry;
  static KafkaProducer<byte[], byte[]> producer;
  static AvroSerializer serializer;

  @BeforeAll
  static void start() {
    broker = EmbeddedKafkaBroker.start(dataDir, 0);
    registry = DevSchemaRegistry.start(broker.bootstrapServers(), 0);
    producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    // A fresh registry's first registration creates its topic: slow on a busy machine.
    serializer =
        new AvroSerializer(
            new SchemaRegistryClient(registry.url(), Duration.ofSeconds(60), null),
            SubjectNameStrategy.TOPIC_NAME,
            true,
            false);
  }

  @AfterAll
  static void stop() {
    producer.close();
    registry.close();
    broker.close();
  }

  static GenericRecord reading(String device, double celsius) {
    GenericRecord reading = new GenericData.Record(READING);
    reading.put("device", device);
    reading.put("celsius", celsius);
    return reading;
  }

  static void send(String topic, String key, byte[] value, String... header) throws Exception {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic, 0, key.getBytes(StandardCharsets.UTF_8), value);
    for (int i = 0; i < header.length; i += 2) {
      record.headers().add(header[i], header[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    producer.send(record).get();
  }

  static void send(String topic, String key, GenericRecord value, String... header)
      throws Exception {
    send(topic, key, serializer.serialize(topic, value), header);
  }

  static String[] tail(String topic, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "tail",
                topic,
                "--bootstrap-server",
                broker.bootstrapServers(),
                "--registry-url",
                registry.url(),
                "--timeout",
                "60s"));
    args.addAll(List.of(options));
    return args.toArray(String[]::new);
  }

  static List<JsonNode> lines(String out) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.lines().toList()) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  @Test
  void printsRecordsFromTheBeginningAsJsonLinesDecodedThroughTheRegistryAndStopsAtMax()
      throws Exception {
    String topic = "tail.readings";
    broker.createTopics(Set.of(new NewTopic(topic, 2, (short) 1)));
    send(topic, "d-1", reading("d-1", 21.5), "traceparent", "00-abc-01");
    send(topic, "d-2", reading("d-2", 30.0));
    send(topic, "d-3", reading("d-3", 40.0));

    CommandRun run = CommandRun.of(tail(topic, "--from-beginning", "--max", "2", "--headers"));

    assertThat(run.exit()).as(run.err()).isZero();
    List<JsonNode> lines = lines(run.out());
    assertThat(lines).hasSize(2);
    JsonNode first = lines.get(0);
    assertThat(first.get("key").asText()).isEqualTo("d-1");
    assertThat(first.get("partition").asInt()).isZero();
    assertThat(first.get("offset").asLong()).isZero();
    assertThat(first.get("timestamp").asText()).endsWith("Z");
    assertThat(first.get("value"))
        .isEqualTo(JSON.readTree("{\"device\": \"d-1\", \"celsius\": 21.5, \"note\": null}"));
    assertThat(first.get("headers").get("traceparent").asText()).isEqualTo("00-abc-01");
    assertThat(lines.get(1).get("key").asText()).isEqualTo("d-2");
    assertThat(lines.get(1).get("offset").asLong()).isEqualTo(1);
  }

  @Test
  void headersArePrintedOnlyOnRequestAndKeyFiltersTheRecords() throws Exception {
    String topic = "tail.keys";
    broker.createTopics(Set.of(new NewTopic(topic, 1, (short) 1)));
    send(topic, "a", reading("a", 1), "h", "1");
    send(topic, "b", reading("b", 2), "h", "2");
    send(topic, "a", reading("a", 3), "h", "3");

    CommandRun run = CommandRun.of(tail(topic, "--from-beginning", "--key", "a", "--max", "2"));

    assertThat(run.exit()).as(run.err()).isZero();
    List<JsonNode> lines = lines(run.out());
    assertThat(lines).extracting(line -> line.get("offset").asLong()).containsExactly(0L, 2L);
    assertThat(lines).allSatisfy(line -> assertThat(line.has("headers")).isFalse());
  }

  @Test
  void withoutFromBeginningOnlyRecordsSentAfterTheStartArePrinted() throws Exception {
    String topic = "tail.end";
    broker.createTopics(Set.of(new NewTopic(topic, 3, (short) 1)));
    send(topic, "old", reading("old", 1));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                RunnelCli.commandLine()
                    .setOut(new PrintWriter(out))
                    .setErr(new PrintWriter(err))
                    .execute(tail(topic, "--max", "1")));
    Await.until(
        "tail to report where it starts", WAIT, () -> err.toString().contains("Tailing " + topic));
    assertThat(err.toString()).contains("Tailing tail.end (3 partitions) from the end");

    send(topic, "new", reading("new", 2));

    assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as(err.toString()).isZero();
    assertThat(lines(out.toString()))
        .singleElement()
        .satisfies(line -> assertThat(line.get("key").asText()).isEqualTo("new"));
  }

  @Test
  void anUndecodableRecordIsPrintedAsAnErrorLineAndTheTailGoesOn() throws Exception {
    String topic = "tail.garbage";
    broker.createTopics(Set.of(new NewTopic(topic, 1, (short) 1)));
    send(topic, "bad", "not avro".getBytes(StandardCharsets.UTF_8));
    send(topic, "good", reading("good", 5));

    CommandRun run = CommandRun.of(tail(topic, "--from-beginning", "--max", "2"));

    assertThat(run.exit()).as(run.err()).isZero();
    List<JsonNode> lines = lines(run.out());
    assertThat(lines.get(0).get("key").asText()).isEqualTo("bad");
    assertThat(lines.get(0).has("value")).isFalse();
    assertThat(lines.get(0).get("error").asText())
        .startsWith("cannot decode the value:")
        .contains("magic byte");
    assertThat(lines.get(1).get("value").get("device").asText()).isEqualTo("good");
  }

  @Test
  void aMissingTopicFailsWithExitCode1() {
    CommandRun run = CommandRun.of(tail("no.such.topic", "--max", "1"));
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo(
            "runnel: topic no.such.topic does not exist on "
                + broker.bootstrapServers()
                + " (is the name right?)"
                + System.lineSeparator());
  }

  @Test
  void aMaxBelowOneIsBadUsage() {
    CommandRun run = CommandRun.of(tail("tail.readings", "--max", "0"));
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--max must be at least 1");
  }
}
