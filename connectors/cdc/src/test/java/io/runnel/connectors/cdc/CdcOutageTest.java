package io.runnel.connectors.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.management.health.indicator.HealthResult;
import io.runnel.test.HealthProbe;
import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** The database goes away mid-stream and comes back: health says why, and no change is lost. */
@RunnelTest(startContext = false)
class CdcOutageTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void databaseDownMidStreamShowsDownThenResumesWithoutLoss(RunnelTestKit kit) throws Exception {
    Path dataDir = Files.createTempDirectory("runnel-cdc-outage");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    TestDatabase database = TestDatabase.start(dataDir, port);
    database.execute("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)");
    Map<String, Object> properties = database.connectorProperties("outage", "public.items");
    properties.put("runnel.kafka.bootstrap-servers", kit.bootstrapServers());
    properties.put("runnel.schema-registry.url", kit.registryUrl());
    properties.put("runnel.cdc.restart-backoff", "200ms");
    properties.put("runnel.cdc.max-restart-backoff", "1s");
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      database.execute("INSERT INTO items VALUES (1, 'before the outage')");
      kit.awaitRecords("outage.public.items", 1, r -> true, WAIT);

      database.close();
      HealthResult down = HealthProbe.await(context, "cdc", "DOWN", Duration.ofSeconds(60));
      assertThat(((Map<?, ?>) down.getDetails()).get("reason")).asString().isNotBlank();

      database = TestDatabase.start(dataDir, port);
      database.execute(
          "INSERT INTO items VALUES (2, 'after the outage')",
          "UPDATE items SET name = 'renamed' WHERE id = 1");
      List<ReceivedRecord> records = kit.awaitRecords("outage.public.items", 3, r -> true, WAIT);
      assertThat(records.stream().map(r -> r.value(GenericRecord.class).get("name").toString()))
          .containsSubsequence("before the outage", "after the outage", "renamed");
      HealthProbe.await(context, "cdc", "UP", Duration.ofSeconds(60));
    } finally {
      database.close();
    }
  }
}
