package io.runnel.cli;

import io.runnel.function.RunnelHeaders;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code runnel dlq replay}: publishes dead letters again to the topic they came from (or another),
 * filtered by function, exception class and time.
 *
 * <p>Each replay is written in one Kafka transaction with a marker in {@code <dlq>.replayed}, a
 * compacted topic keyed by the dead letter's coordinates; markers are read first and marked dead
 * letters skipped, so running the command again never publishes a record twice.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    header = "Publishes dead letters again, to the topic they came from or another.")
final class ReplayCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Option(names = "--dlq", required = true, description = "The dead-letter topic to read.")
  String deadLetterTopic;

  @Option(names = "--to", description = "Publish here instead of each record's original topic.")
  String targetTopic;

  @Option(names = "--function", description = "Only dead letters of this function.")
  String function;

  @Option(
      names = "--error-class",
      description = "Only dead letters whose exception class is this (full or simple name).")
  String errorClass;

  @Option(
      names = "--from",
      description = "Only dead letters that failed at or after this instant (ISO-8601).")
  Instant from;

  @Option(
      names = "--until",
      description = "Only dead letters that failed before this instant (ISO-8601).")
  Instant until;

  @Option(names = "--dry-run", description = "List what would be replayed; publish nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String markerTopic = deadLetterTopic + ".replayed";
    Map<String, List<TopicPartition>> partitions;
    try (Admin admin = kafka.admin()) {
      partitions = Topics.partitions(admin, List.of(deadLetterTopic, markerTopic), kafka);
    }
    if (!partitions.containsKey(deadLetterTopic)) {
      throw new CommandFailure(
          "topic " + deadLetterTopic + " does not exist (--dlq names a dead-letter topic)");
    }
    Set<String> alreadyReplayed = new HashSet<>();
    readAll(
        partitions.getOrDefault(markerTopic, List.of()),
        record -> alreadyReplayed.add(new String(record.key(), StandardCharsets.UTF_8)));
    List<DeadLetter> selected = new ArrayList<>();
    int[] skipped = {0};
    readAll(
        partitions.get(deadLetterTopic),
        record -> {
          DeadLetter letter = new DeadLetter(record);
          if (!matches(letter)) {
            return;
          }
          if (alreadyReplayed.contains(letter.coordinates())) {
            skipped[0]++;
          } else {
            selected.add(letter);
          }
        });
    out.printf(
        "%d dead letters match, %d of them replayed before%n",
        selected.size() + skipped[0], skipped[0]);
    if (dryRun) {
      for (DeadLetter letter : selected) {
        out.printf(
            "%s  %s  %s  %s -> %s%n",
            letter.coordinates(),
            letter.failedAt(),
            letter.function(),
            letter.exceptionClass(),
            destination(letter));
      }
      out.flush();
      return 0;
    }
    replay(selected, markerTopic, out);
    return 0;
  }

  private boolean matches(DeadLetter letter) {
    if (function != null && !function.equals(letter.function())) {
      return false;
    }
    if (errorClass != null) {
      String actual = letter.exceptionClass();
      if (actual == null || !(actual.equals(errorClass) || actual.endsWith("." + errorClass))) {
        return false;
      }
    }
    Instant failedAt = letter.failedAt();
    return (from == null || !failedAt.isBefore(from))
        && (until == null || failedAt.isBefore(until));
  }

  private String destination(DeadLetter letter) {
    String destination = targetTopic != null ? targetTopic : letter.originalTopic();
    if (destination == null) {
      throw new IllegalArgumentException(
          "Dead letter "
              + letter.coordinates()
              + " has no "
              + RunnelHeaders.ERROR_ORIGINAL_TOPIC
              + " header: name a topic with --to");
    }
    return destination;
  }

  private void replay(List<DeadLetter> letters, String markerTopic, PrintWriter out) {
    Map<String, Object> config = kafka.producerConfig();
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "runnel-dlq-replay-" + deadLetterTopic);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      int done = 0;
      for (DeadLetter letter : letters) {
        ConsumerRecord<byte[], byte[]> record = letter.record();
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
          if (!header.key().startsWith(RunnelHeaders.ERROR_PREFIX)) {
            headers.add(header);
          }
        }
        headers.add("runnel.replay.of", letter.coordinates().getBytes(StandardCharsets.UTF_8));
        producer.beginTransaction();
        producer.send(
            new ProducerRecord<>(destination(letter), null, record.key(), record.value(), headers));
        producer.send(
            new ProducerRecord<>(
                markerTopic,
                letter.coordinates().getBytes(StandardCharsets.UTF_8),
                Instant.now().toString().getBytes(StandardCharsets.UTF_8)));
        producer.commitTransaction();
        done++;
        progress(out, done, letters.size());
      }
      out.println();
      out.printf("Replayed %d dead letters%n", done);
      out.flush();
    }
  }

  private static void progress(PrintWriter out, int done, int total) {
    int width = 30;
    int filled = total == 0 ? width : done * width / total;
    out.printf("\r[%s%s] %d/%d", "#".repeat(filled), " ".repeat(width - filled), done, total);
    out.flush();
  }

  /**
   * The end offsets once no transaction is pending: a replay committed a moment ago has its commit
   * markers written shortly after, and until then a read_committed reader would miss its marker and
   * replay it again.
   */
  private Map<TopicPartition, Long> stableEndOffsets(
      List<TopicPartition> partitions, KafkaConsumer<byte[], byte[]> committed) {
    try (KafkaConsumer<byte[], byte[]> all = kafka.consumer("read_uncommitted")) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (true) {
        Map<TopicPartition, Long> stable = committed.endOffsets(partitions);
        if (stable.equals(all.endOffsets(partitions)) || System.nanoTime() > deadline) {
          return stable;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return stable;
        }
      }
    }
  }

  /** Reads the partitions of a topic from their beginning to their current end. */
  private void readAll(
      List<TopicPartition> partitions,
      java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
    if (partitions.isEmpty()) {
      return;
    }
    try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer("read_committed")) {
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = stableEndOffsets(partitions, consumer);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(each);
      }
    }
  }
}
