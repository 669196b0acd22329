package io.runnel.streams.internals;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanContext;
import io.micronaut.context.env.Environment;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.inject.ExecutableMethod;
import io.runnel.support.ComponentHealthIndicator;
import io.runnel.support.ComponentStatus;
import io.runnel.support.CounterFamily;
import io.runnel.support.KafkaSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Runs every enabled {@code @StreamsTopology} of the context as a Kafka Streams application of its
 * own, once the context has started, and closes them when it stops. All topologies are built and
 * their settings checked before the first starts, so a wrong setting stops start-up with its name
 * and nothing half-started.
 */
@Singleton
final class StreamsApplications
    implements ApplicationEventListener<StartupEvent>, ComponentHealthIndicator.Component {

  private final BeanContext beans;
  private final Environment environment;
  private final TopologyMethods methods;
  private final KafkaSettings kafka;
  private final MeterRegistry meters;
  private final CounterFamily deadLetterCounter;
  private final List<RunningTopology> running = Collections.synchronizedList(new ArrayList<>());

  StreamsApplications(
      BeanContext beans,
      Environment environment,
      TopologyMethods methods,
      KafkaSettings kafka,
      @Nullable MeterRegistry meters) {
    this.beans = beans;
    this.environment = environment;
    this.methods = methods;
    this.kafka = kafka;
    this.meters = meters;
    this.deadLetterCounter =
        CounterFamily.of(
            meters,
            "runnel.streams.dead.letters",
            "Records a topology sent to its dead-letter topic, by stage",
            "topology",
            "stage");
  }

  /** A topology built and configured, not started yet. */
  private record Built(
      TopologySettings settings,
      Topology topology,
      Properties config,
      ComponentStatus<KafkaStreams.State> status) {}

  @Override
  public void onApplicationEvent(StartupEvent event) {
    Map<String, TopologyMethods.TopologyMethod> byName = methods.byName();
    TopologySettings.rejectUnknownNames(environment, byName.keySet());
    List<Built> built = new ArrayList<>();
    for (TopologyMethods.TopologyMethod method : byName.values()) {
      TopologySettings settings = TopologySettings.read(environment, method.name());
      if (settings.enabled()) {
        built.add(build(method, settings));
      }
    }
    if (built.isEmpty()) {
      return;
    }
    kafka.validate();
    try {
      kafka.createTopicsIfMissing(deadLetterTopics(built));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    for (Built topology : built) {
      running.add(
          RunningTopology.start(
              topology.settings(),
              topology.topology(),
              topology.config(),
              topology.status(),
              meters));
    }
  }

  @SuppressWarnings("unchecked")
  private Built build(TopologyMethods.TopologyMethod method, TopologySettings settings) {
    ComponentStatus<KafkaStreams.State> status = RunningTopology.newStatus(settings.name());
    DeadLetters deadLetters =
        new DeadLetters(
            settings.name(),
            settings.applicationId(),
            settings.deadLetterTopic(),
            deadLetterCounter,
            status);
    Properties config = settings.streamsConfig(kafka, deadLetters);
    StreamsBuilder builder = new StreamsBuilder();
    ((ExecutableMethod<Object, Object>) method.method())
        .invoke(beans.getBean(method.bean()), builder);
    return new Built(settings, builder.build(config), config, status);
  }

  /**
   * The dead-letter topics the topologies' dead letters go to: {@code dead-letter-topic}, else one
   * {@code <source>.dlq} for each topic a topology reads by name (not for its repartition topics,
   * which it writes itself), with the broker's defaults.
   */
  private static List<NewTopic> deadLetterTopics(List<Built> built) {
    Set<String> topics = new TreeSet<>();
    for (Built topology : built) {
      if (topology.settings().deadLetterTopic() != null) {
        topics.add(topology.settings().deadLetterTopic());
        continue;
      }
      TopologyDescription description = topology.topology().describe();
      List<TopologyDescription.Source> sources = new ArrayList<>();
      description.globalStores().forEach(store -> sources.add(store.source()));
      for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
        for (TopologyDescription.Node node : subtopology.nodes()) {
          if (node instanceof TopologyDescription.Source source) {
            sources.add(source);
          }
        }
      }
      for (TopologyDescription.Source source : sources) {
        if (source.topicSet() != null) {
          source.topicSet().stream()
              .filter(topic -> !topic.endsWith("-repartition"))
              .forEach(topic -> topics.add(topic + ".dlq"));
        }
      }
    }
    return topics.stream()
        .map(topic -> new NewTopic(topic, Optional.empty(), Optional.empty()))
        .toList();
  }

  @Override
  public List<ComponentStatus<?>> componentStatuses() {
    synchronized (running) {
      return running.stream().<ComponentStatus<?>>map(RunningTopology::status).toList();
    }
  }

  /** Closes every topology, each within its {@code close-timeout}. */
  @PreDestroy
  void close() {
    synchronized (running) {
      running.forEach(RunningTopology::close);
      running.clear();
    }
  }
}
