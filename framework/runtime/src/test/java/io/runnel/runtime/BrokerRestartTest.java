package io.runnel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.management.health.indicator.HealthResult;
import io.runnel.embedded.EmbeddedKafkaBroker;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.server.DevSchemaRegistry;
import io.runnel.test.HealthProbe;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the broker in the middle of a stream and starts it again: readiness shows the cluster
 * unreachable meanwhile, processing resumes, nothing is lost.
 */
class BrokerRestartTest {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerRestartTest.class);

  @TempDir Path dataDir;

  @Test
  void readinessShowsTheOutageAndProcessingResumesAfterTheBrokerRestartsWithNothingLost()
      throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, port);
    DevSchemaRegistry registry = DevSchemaRegistry.start(broker.bootstrapServers(), 0);
    CopyStream stream =
        new CopyStream(
            broker.bootstrapServers(), new SchemaRegistryClient(registry.url()), 50_000, "restart");
    stream.produce();
    Map<String, Object> properties =
        CrashTestApp.properties(
            broker.bootstrapServers(), registry.url(), stream.input(), stream.output(), false);
    properties.put("runnel.runtime.health.check-interval", "500ms");
    properties.put("runnel.runtime.health.check-timeout", "1s");
    ApplicationContext context = ApplicationContext.run(properties);
    try {
      stream.awaitOutputs(10_000, Duration.ofSeconds(60));
      long before = stream.outputCount();
      broker.close();
      LOG.info("Broker stopped after {} of {} outputs", before, stream.events());
      assertThat(before).as("stopped mid-stream").isLessThan(stream.events());
      // The outage lasts until readiness shows it; the clients' requests fail meanwhile.
      HealthResult down = HealthProbe.await(context, "kafka", "DOWN", Duration.ofSeconds(60));
      assertThat(down.getDetails().toString()).contains("reason=");
      broker = EmbeddedKafkaBroker.start(dataDir, port);
      LOG.info("Broker started again");
      HealthProbe.await(context, "kafka", "UP", Duration.ofSeconds(120));
      HealthProbe.await(context, "copy", "UP", Duration.ofSeconds(120));
      CopyStream.Outputs outputs = stream.readUntilComplete(Duration.ofSeconds(120));
      LOG.info(
          "{} events in, {} outputs out, {} distinct, {} duplicates",
          stream.events(),
          outputs.records(),
          outputs.distinct(),
          outputs.duplicates());
      assertThat(outputs.distinct()).isEqualTo(stream.events());
    } finally {
      context.close();
      registry.close();
      broker.close();
    }
  }
}
