package io.runnel.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Reads a consumer group's lag from the cluster: its committed offsets, the log start and end
 * offsets of every partition of the topics it reads (one list-offsets request each), and, for each
 * partition behind, the timestamp of the record at the committed offset (one fetch per partition).
 */
final class LagReader {

  private final Admin admin;
  private final KafkaOptions kafka;
  private final Clock clock;

  LagReader(Admin admin, KafkaOptions kafka, Clock clock) {
    this.admin = admin;
    this.kafka = kafka;
    this.clock = clock;
  }

  /** The consumer groups of the cluster, by name. */
  List<String> groups() {
    return kafka.await(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()).stream()
        .map(listing -> listing.groupId())
        .sorted()
        .toList();
  }

  /** The group's lag; a {@link CommandFailure} when the group does not exist. */
  GroupLag read(String group) {
    Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
    kafka
        .await(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(group))
        .forEach(
            (partition, offset) -> {
              if (offset != null) {
                committed.put(partition, offset);
              }
            });
    Set<String> topics = new HashSet<>();
    committed.keySet().forEach(p -> topics.add(p.topic()));
    assignedTopics(group, committed.isEmpty()).forEach(topics::add);
    List<TopicPartition> partitions =
        Topics.partitions(admin, topics, kafka).values().stream()
            .flatMap(List::stream)
            .sorted(
                Comparator.comparing(TopicPartition::topic)
                    .thenComparingInt(TopicPartition::partition))
            .toList();
    Map<TopicPartition, Long> start = offsets(partitions, OffsetSpec.earliest());
    Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
    Map<TopicPartition, Long> from = new HashMap<>();
    for (TopicPartition partition : partitions) {
      OffsetAndMetadata offset = committed.get(partition);
      from.put(partition, offset == null ? start.get(partition) : offset.offset());
    }
    Map<TopicPartition, Duration> ages =
        ages(partitions.stream().filter(p -> from.get(p) < end.get(p)).toList(), from, end);
    List<GroupLag.PartitionLag> lags = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      OffsetAndMetadata offset = committed.get(partition);
      lags.add(
          new GroupLag.PartitionLag(
              partition,
              offset == null ? null : offset.offset(),
              end.get(partition),
              Math.max(0, end.get(partition) - from.get(partition)),
              ages.get(partition)));
    }
    return new GroupLag(group, lags);
  }

  /**
   * The topics the group's members are assigned. When the group has committed nothing it must at
   * least exist, with members: else it is reported as unknown.
   */
  private List<String> assignedTopics(String group, boolean mustHaveMembers) {
    ConsumerGroupDescription description;
    try {
      description =
          kafka.await(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group));
    } catch (CommandFailure e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        throw unknown(group);
      }
      throw e;
    }
    if (mustHaveMembers
        && (description.groupState() == GroupState.DEAD || description.members().isEmpty())) {
      throw unknown(group);
    }
    return description.members().stream()
        .map(MemberDescription::assignment)
        .flatMap(assignment -> assignment.topicPartitions().stream())
        .map(TopicPartition::topic)
        .distinct()
        .toList();
  }

  private static CommandFailure unknown(String group) {
    return new CommandFailure(
        "consumer group "
            + group
            + " does not exist (no member, no committed offset): check the function's name, or"
            + " name its group with --group");
  }

  private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) {
    Map<TopicPartition, ListOffsetsResultInfo> infos =
        kafka.await(
            admin
                .listOffsets(
                    partitions.stream().collect(Collectors.toMap(Function.identity(), p -> spec)))
                .all());
    Map<TopicPartition, Long> offsets = new HashMap<>();
    infos.forEach((partition, info) -> offsets.put(partition, info.offset()));
    return offsets;
  }

  /**
   * The age of the record at each partition's committed offset: one fetch from that offset per
   * partition. A partition whose remaining lag holds no record (only transaction markers) has none.
   */
  private Map<TopicPartition, Duration> ages(
      List<TopicPartition> behind, Map<TopicPartition, Long> from, Map<TopicPartition, Long> end) {
    Map<TopicPartition, Duration> ages = new HashMap<>();
    if (behind.isEmpty()) {
      return ages;
    }
    try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer("read_uncommitted")) {
      consumer.assign(behind);
      behind.forEach(partition -> consumer.seek(partition, from.get(partition)));
      Set<TopicPartition> pending = new HashSet<>(behind);
      long deadline = System.nanoTime() + kafka.timeout.toNanos();
      Instant now = clock.instant();
      while (!pending.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          if (pending.remove(partition)) {
            Duration age = Duration.between(Instant.ofEpochMilli(record.timestamp()), now);
            ages.put(partition, age.isNegative() ? Duration.ZERO : age);
            consumer.pause(List.of(partition));
          }
        }
        pending.removeIf(partition -> consumer.position(partition) >= end.get(partition));
      }
    }
    return ages;
  }
}
