package io.runnel.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnel.registry.SchemaRegistryClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code runnel tail TOPIC}: prints a topic's records as they arrive, one JSON line each, decoded
 * through the schema registry; from the end of every partition, or from the beginning, until {@code
 * --max} records or Ctrl-C.
 */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description =
        "Prints a topic's records as JSON lines (partition, offset, timestamp, key, value), decoded"
            + " through the schema registry, as they arrive.")
final class TailCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Option(
      names = "--registry-url",
      required = true,
      description = "The schema registry the records' schemas are in.")
  String registryUrl;

  @Parameters(paramLabel = "TOPIC", description = "The topic to print.")
  String topic;

  @Option(
      names = "--from-beginning",
      description = "Start at each partition's first record (default: at the end, new ones only).")
  boolean fromBeginning;

  @Option(
      names = "--key",
      paramLabel = "KEY",
      description = "Only records with this key (a text key, or an Avro key's JSON).")
  String key;

  @Option(
      names = "--max",
      paramLabel = "N",
      description = "Stop after printing N records (default: run until stopped).")
  Long max;

  @Option(names = "--headers", description = "Print each record's headers too (as UTF-8 text).")
  boolean headers;

  @Override
  public Integer call() {
    if (max != null && max < 1) {
      throw new ParameterException(spec.commandLine(), "--max must be at least 1");
    }
    List<TopicPartition> partitions;
    try (Admin admin = kafka.admin()) {
      partitions = Topics.partitions(admin, List.of(topic), kafka).get(topic);
    }
    if (partitions == null) {
      throw new CommandFailure(
          "topic "
              + topic
              + " does not exist on "
              + kafka.bootstrapServers
              + " (is the name right?)");
    }
    RecordToJson json =
        new RecordToJson(new SchemaRegistryClient(registryUrl, kafka.timeout, null), headers);
    PrintWriter out = spec.commandLine().getOut();
    try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer("read_committed")) {
      consumer.assign(partitions);
      if (fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      // Resolves the positions now, so every record sent after the notice below is printed.
      partitions.forEach(consumer::position);
      PrintWriter err = spec.commandLine().getErr();
      err.printf(
          "Tailing %s (%d partition%s) from the %s%s%n",
          topic,
          partitions.size(),
          partitions.size() == 1 ? "" : "s",
          fromBeginning ? "beginning" : "end",
          max == null ? "; Ctrl-C to stop" : "");
      err.flush();
      long printed = 0;
      while (max == null || printed < max) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          ObjectNode line = json.convert(record);
          if (key != null && !key.equals(RecordToJson.keyText(line.get("key")))) {
            continue;
          }
          out.println(line);
          out.flush();
          if (max != null && ++printed == max) {
            break;
          }
        }
      }
    }
    return 0;
  }
}
