package io.runnel.connectors.cdc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/** A real PostgreSQL (embedded binaries, no Docker) set up for logical decoding. */
final class TestDatabase implements AutoCloseable {

  private final EmbeddedPostgres postgres;

  private TestDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  static TestDatabase start(String walLevel) {
    return start(builder(walLevel));
  }

  /**
   * A server keeping its data in {@code dataDir} on {@code port}, so it can be stopped and
   * restarted.
   */
  static TestDatabase start(Path dataDir, int port) {
    return start(
        builder("logical").setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port));
  }

  private static EmbeddedPostgres.Builder builder(String walLevel) {
    return EmbeddedPostgres.builder()
        .setServerConfig("wal_level", walLevel)
        .setServerConfig("max_wal_senders", "10")
        .setServerConfig("max_replication_slots", "10");
  }

  private static TestDatabase start(EmbeddedPostgres.Builder builder) {
    try {
      return new TestDatabase(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return postgres.getPort();
  }

  /** Runs statements, each in its own transaction. */
  void execute(String... statements) {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  Connection connection() throws SQLException {
    return postgres.getPostgresDatabase().getConnection();
  }

  /**
   * Connector settings for this database; {@code name} keeps slot, publication and topics apart.
   */
  Map<String, Object> connectorProperties(String name, String... tables) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("runnel.cdc.enabled", "true");
    properties.put("runnel.cdc.host", "localhost");
    properties.put("runnel.cdc.port", port());
    properties.put("runnel.cdc.database", "postgres");
    properties.put("runnel.cdc.user", "postgres");
    properties.put("runnel.cdc.tables", String.join(",", tables));
    properties.put("runnel.cdc.topic-prefix", name);
    properties.put("runnel.cdc.slot", name + "_slot");
    properties.put("runnel.cdc.publication", name + "_pub");
    properties.put("runnel.cdc.offsets-topic", name + "-offsets");
    properties.put("runnel.cdc.heartbeat-interval", "1s");
    return properties;
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
