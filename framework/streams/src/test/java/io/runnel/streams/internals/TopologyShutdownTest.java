package io.runnel.streams.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.runnel.streams.fixtures.DeviceStatisticsTopology;
import io.runnel.support.ComponentStatus;
import io.runnel.support.KafkaSettings;
import io.runnel.test.HealthProbe;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** A running topology is closed, not abandoned, when its context stops. */
@RunnelTest(startContext = false)
class TopologyShutdownTest {

  @Test
  void stoppingTheContextClosesTheTopology(RunnelTestKit kit) throws Exception {
    KafkaSettings kafka = new KafkaSettings();
    kafka.setBootstrapServers(kit.bootstrapServers());
    kafka.createTopicsIfMissing(
        List.of(new NewTopic(DeviceStatisticsTopology.INPUT, Optional.of(1), Optional.empty())));
    ApplicationContext context =
        ApplicationContext.run(
            Map.of(
                "runnel.kafka.bootstrap-servers",
                kit.bootstrapServers(),
                "runnel.schema-registry.url",
                kit.registryUrl(),
                "test.topology",
                "device-stats",
                "runnel.streams.device-stats.application.id",
                "runnel-shutdown-test",
                "runnel.streams.device-stats.close-timeout",
                "60s",
                "runnel.streams.device-stats.state.dir",
                Files.createTempDirectory("shutdown").toString()));
    HealthProbe.await(context, "streams-device-stats", "UP", Duration.ofSeconds(120));
    List<ComponentStatus<?>> statuses =
        context.getBean(StreamsApplications.class).componentStatuses();

    context.close();

    assertThat(statuses).hasSize(1);
    assertThat(statuses.get(0).read().state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
  }
}
