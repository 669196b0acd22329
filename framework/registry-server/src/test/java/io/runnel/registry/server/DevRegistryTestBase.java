package io.runnel.registry.server;

import io.runnel.embedded.EmbeddedKafkaBroker;
import io.runnel.registry.SchemaRegistryClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** A real broker and the dev registry on free ports, for the test class; with a client of it. */
abstract class DevRegistryTestBase {

  @TempDir static Path dataDir;
  static EmbeddedKafkaBroker broker;
  static DevSchemaRegistry registry;
  static SchemaRegistryClient client;

  @BeforeAll
  static void start() {
    broker = EmbeddedKafkaBroker.start(dataDir, 0);
    registry = DevSchemaRegistry.start(broker.bootstrapServers(), 0);
    client = new SchemaRegistryClient(registry.url());
  }

  @AfterAll
  static void stop() {
    registry.close();
    broker.close();
  }
}
