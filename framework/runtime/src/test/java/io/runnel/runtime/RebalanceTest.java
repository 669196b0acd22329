package io.runnel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second instance joins mid-stream and the first leaves mid-stream: partitions move twice, and
 * since a revoked partition's records are finished and committed before it moves, nothing is lost
 * or handled twice. With each value of {@code runnel.runtime.group-protocol}: classic
 * (cooperative-sticky) and consumer (KIP-848).
 */
@RunnelTest(startContext = false)
class RebalanceTest {

  private static final Logger LOG = LoggerFactory.getLogger(RebalanceTest.class);

  @ParameterizedTest
  @ValueSource(strings = {"classic", "consumer"})
  void partitionsMoveBetweenInstancesWithoutLossOrDuplicates(String protocol, RunnelTestKit kit)
      throws Exception {
    CopyStream stream =
        new CopyStream(
            kit.bootstrapServers(),
            new SchemaRegistryClient(kit.registryUrl()),
            100_000,
            "rebalance." + protocol);
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrapServers()))) {
      admin
          .createTopics(Set.of(new NewTopic(stream.input(), 4, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    stream.produce();
    Map<String, Object> properties =
        CrashTestApp.properties(
            kit.bootstrapServers(), kit.registryUrl(), stream.input(), stream.output(), false);
    properties.put("runnel.runtime.group-protocol", protocol);
    if (protocol.equals("consumer")) {
      // The session and heartbeat are the broker's business under KIP-848.
      properties.remove("runnel.kafka.consumer.session.timeout.ms");
      properties.remove("runnel.kafka.consumer.heartbeat.interval.ms");
    }
    ApplicationContext first = ApplicationContext.run(properties);
    ApplicationContext second = null;
    try {
      stream.awaitOutputs(5_000, Duration.ofSeconds(60));
      second = ApplicationContext.run(properties);
      stream.awaitOutputs(30_000, Duration.ofSeconds(60));
      long handledByFirst = first.getBean(CrashTestApp.CopyingFunction.class).handled.get();
      first.close();
      LOG.info("{}: first instance left at {} outputs", protocol, stream.outputCount());
      CopyStream.Outputs outputs = stream.readUntilComplete(Duration.ofSeconds(90));
      LOG.info(
          "{}: {} events in, {} outputs out, {} distinct, {} duplicates",
          protocol,
          stream.events(),
          outputs.records(),
          outputs.distinct(),
          outputs.duplicates());
      assertThat(outputs.distinct()).isEqualTo(stream.events());
      assertThat(outputs.duplicates()).isZero();
      long handledBySecond = second.getBean(CrashTestApp.CopyingFunction.class).handled.get();
      LOG.info("{}: first handled {}, second {}", protocol, handledByFirst, handledBySecond);
      assertThat(handledByFirst).as("handled by the first instance").isPositive();
      assertThat(handledBySecond).as("handled by the second instance").isPositive();
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }
}
