package io.runnel.runtime.internals;

import io.micronaut.context.exceptions.ConfigurationException;
import io.runnel.runtime.RuntimeSettings;
import io.runnel.support.FunctionDescriptor;
import io.runnel.support.KafkaSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure, once at start-up and with one admin client, that every topic this instance's
 * functions use exists: their inputs, output topics, dead-letter, retry and changelog topics and
 * global tables. A missing topic is created unless {@code runnel.runtime.create-topics} is false:
 * an input with {@code runnel.runtime.topics.partitions} or the broker's default ({@code
 * num.partitions}), any other topic with that setting or as many partitions as the inputs it is
 * written from (the most of them), but a store's changelog always with its input's count,
 * compacted; replicas from {@code runnel.runtime.topics.replication-factor} or the broker's
 * default. A topic that is missing and may not or cannot be created fails start-up naming it,
 * rather than every send to it blocking the sending thread later.
 */
final class TopicProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  /** One topic the functions need: what it is to them, and the inputs its partitions follow. */
  private static final class Need {
    final String topic;
    final List<String> roles = new ArrayList<>();
    final Set<String> writtenFrom = new LinkedHashSet<>();
    boolean input;
    // A store's changelog: compacted, and partitioned exactly as its input.
    boolean changelog;

    Need(String topic) {
      this.topic = topic;
    }

    @Override
    public String toString() {
      return topic + " (" + String.join(", ", roles) + ")";
    }
  }

  private final KafkaSettings kafka;
  private final RuntimeSettings runtime;

  TopicProvisioner(KafkaSettings kafka, RuntimeSettings runtime) {
    this.kafka = kafka;
    this.runtime = runtime;
  }

  /**
   * Creates the missing topics of {@code functions}, and of {@code others} (topic to its role, such
   * as the usage topic), which take the partitions of {@code runnel.runtime.topics.partitions} or
   * the broker's default.
   *
   * @throws ConfigurationException naming each topic that is missing and is not to be created, or
   *     the first one Kafka refused to create or describe
   */
  void provision(List<FunctionDescriptor> functions, Map<String, String> others) {
    Map<String, Need> needs = needs(functions);
    others.forEach((topic, role) -> needs.computeIfAbsent(topic, Need::new).roles.add(role));
    try (Admin admin = Admin.create(kafka.adminConfig())) {
      Map<String, Integer> partitions = existingPartitions(admin, needs.values());
      checkChangelogPartitions(needs.values(), partitions);
      List<Need> missing =
          needs.values().stream().filter(need -> !partitions.containsKey(need.topic)).toList();
      if (missing.isEmpty()) {
        return;
      }
      if (!runtime.isCreateTopics()) {
        throw new ConfigurationException(
            "Missing topics: "
                + missing.stream().map(Need::toString).collect(Collectors.joining("; "))
                + ". runnel.runtime.create-topics is false: create them, or set it to true");
      }
      // Inputs first: the other topics take their partitions from them.
      create(admin, missing.stream().filter(need -> need.input).toList(), partitions);
      create(admin, missing.stream().filter(need -> !need.input).toList(), partitions);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigurationException("Interrupted while checking the functions' topics", e);
    }
  }

  private static Map<String, Need> needs(List<FunctionDescriptor> functions) {
    Map<String, Need> needs = new LinkedHashMap<>();
    for (FunctionDescriptor function : functions) {
      String of = " of function " + function.name();
      RetryTopics retryTopics = new RetryTopics(function.retryTopicDelaysMs());
      for (String input : function.topics()) {
        Need need = needs.computeIfAbsent(input, Need::new);
        need.input = true;
        need.roles.add("input" + of);
        need(needs, function.deadLetterTopicFor(input), "dead-letter topic" + of, input);
        for (String retryTopic : retryTopics.retryTopicsOf(input)) {
          need(needs, retryTopic, "retry topic" + of, input);
        }
        if (function.outputTopic() != null) {
          need(needs, function.outputTopic(), "output" + of, input);
        }
        for (String store : function.stores()) {
          need(needs, function.changelogTopicOf(store), "changelog of store " + store + of, input);
          needs.get(function.changelogTopicOf(store)).changelog = true;
        }
      }
      for (String table : function.globalTables()) {
        Need need = needs.computeIfAbsent(table, Need::new);
        need.input = true;
        need.roles.add("global table" + of);
      }
    }
    return needs;
  }

  private static void need(Map<String, Need> needs, String topic, String role, String input) {
    Need need = needs.computeIfAbsent(topic, Need::new);
    if (!need.roles.contains(role)) {
      need.roles.add(role);
    }
    need.writtenFrom.add(input);
  }

  /**
   * A store's state for a key lives in the changelog partition of the key's input partition: a
   * changelog with other partitions than its input would lose or mix state.
   */
  private static void checkChangelogPartitions(
      Iterable<Need> needs, Map<String, Integer> partitions) {
    for (Need need : needs) {
      Integer count = partitions.get(need.topic);
      if (!need.changelog || count == null) {
        continue;
      }
      for (String input : need.writtenFrom) {
        Integer inputCount = partitions.get(input);
        if (inputCount != null && !inputCount.equals(count)) {
          throw new ConfigurationException(
              "Topic "
                  + need
                  + " has "
                  + count
                  + " partitions but its input "
                  + input
                  + " has "
                  + inputCount
                  + ": a changelog needs as many as its input. Delete it to have it created again"
                  + " (its state is rebuilt from the input only by reprocessing it)");
        }
      }
    }
  }

  /**
   * The partition count of each needed topic that exists.
   *
   * @throws ConfigurationException naming every topic this instance's principal may not describe
   *     (it has no ACL on it), or the first that could not be described otherwise
   */
  private static Map<String, Integer> existingPartitions(Admin admin, Collection<Need> needs)
      throws InterruptedException {
    Map<String, KafkaFuture<TopicDescription>> descriptions =
        admin.describeTopics(needs.stream().map(need -> need.topic).toList()).topicNameValues();
    Map<String, Integer> partitions = new HashMap<>();
    List<Need> denied = new ArrayList<>();
    for (Need need : needs) {
      try {
        partitions.put(need.topic, descriptions.get(need.topic).get().partitions().size());
      } catch (ExecutionException e) {
        if (e.getCause() instanceof TopicAuthorizationException) {
          denied.add(need);
        } else if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw new ConfigurationException(
              "Cannot check topic " + need + ": " + e.getCause(), e.getCause());
        }
      }
    }
    if (!denied.isEmpty()) {
      throw new ConfigurationException(
          "Not authorized to use topics: "
              + denied.stream().map(Need::toString).collect(Collectors.joining("; "))
              + ". Grant this instance's principal READ on inputs and retry topics and WRITE on"
              + " outputs, dead-letter, retry and usage topics (README: Least-privilege ACLs)",
          new TopicAuthorizationException(
              denied.stream().map(need -> need.topic).collect(Collectors.toSet())));
    }
    return partitions;
  }

  /** Creates {@code missing} and adds the partitions of each to {@code partitions}. */
  private void create(Admin admin, List<Need> missing, Map<String, Integer> partitions)
      throws InterruptedException {
    if (missing.isEmpty()) {
      return;
    }
    RuntimeSettings.Topics settings = runtime.getTopics();
    List<NewTopic> topics = new ArrayList<>();
    for (Need need : missing) {
      Optional<Integer> inputs =
          need.writtenFrom.stream()
              .map(partitions::get)
              .filter(Objects::nonNull)
              .max(Integer::compare);
      Optional<Integer> count = need.changelog ? inputs : settings.getPartitions().or(() -> inputs);
      NewTopic topic = new NewTopic(need.topic, count, settings.getReplicationFactor());
      if (need.changelog) {
        topic.configs(
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      }
      topics.add(topic);
    }
    CreateTopicsResult result = admin.createTopics(topics);
    for (Need need : missing) {
      try {
        int count = result.numPartitions(need.topic).get();
        partitions.put(need.topic, count);
        LOG.info("Created topic {} with {} partitions", need, count);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          // Refused (an ACL, a policy, too few brokers) or no answer.
          throw new ConfigurationException(
              "Cannot create topic "
                  + need
                  + ": "
                  + e.getCause()
                  + ". Create it beforehand, or allow this instance's principal to create it",
              e.getCause());
        }
        // Created by another instance meanwhile.
      }
    }
  }
}
