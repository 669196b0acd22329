package io.runnel.cli;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** The partitions of topics, as the cluster describes them. */
final class Topics {

  private Topics() {}

  /** The partitions of those of {@code topics} that exist; a missing topic is not in the map. */
  static Map<String, List<TopicPartition>> partitions(
      Admin admin, Collection<String> topics, KafkaOptions kafka) {
    Map<String, List<TopicPartition>> partitions = new HashMap<>();
    admin
        .describeTopics(topics)
        .topicNameValues()
        .forEach(
            (topic, description) -> {
              try {
                TopicDescription found = kafka.await(description);
                partitions.put(
                    topic,
                    found.partitions().stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList());
              } catch (CommandFailure e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                  throw e;
                }
              }
            });
    return partitions;
  }
}
