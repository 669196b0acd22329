package io.runnel.dev.internals;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The dev PostgreSQL: embedded binaries (nothing installed) with {@code wal_level=logical}, its
 * data kept in a directory so it survives a restart, a login role {@value #USER} that may
 * replicate, a database {@value #DATABASE} it owns, and the examples' tables in it ({@code
 * example-schema.sql}). Local connections need no password.
 */
public final class DevPostgres implements AutoCloseable {

  public static final String USER = "runnel";
  public static final String DATABASE = "runnel";

  private final EmbeddedPostgres postgres;

  private DevPostgres(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts PostgreSQL on {@code port} with its data in {@code dataDir}, then creates what is
   * missing.
   */
  public static DevPostgres start(Path dataDir, int port) {
    EmbeddedPostgres postgres;
    try {
      postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setPort(port)
              .setServerConfig("wal_level", "logical")
              .setServerConfig("max_wal_senders", "10")
              .setServerConfig("max_replication_slots", "10")
              .start();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "PostgreSQL did not start on port " + port + " with data in " + dataDir + ": " + e, e);
    }
    DevPostgres started = new DevPostgres(postgres);
    try {
      started.createRoleAndDatabase();
      started.execute(started.database(), exampleSchema());
      return started;
    } catch (RuntimeException e) {
      started.close();
      throw e;
    }
  }

  public int port() {
    return postgres.getPort();
  }

  /** The address psql and JDBC take, with user and database. */
  public String url() {
    return "postgresql://" + USER + "@localhost:" + port() + "/" + DATABASE;
  }

  /** The same address for JDBC. */
  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE + "?user=" + USER;
  }

  /** The examples' database, as {@value #USER}. */
  public DataSource database() {
    return postgres.getDatabase(USER, DATABASE);
  }

  private void createRoleAndDatabase() {
    DataSource admin = postgres.getPostgresDatabase();
    execute(
        admin,
        """
        DO $$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%1$s') THEN
            CREATE ROLE %1$s LOGIN REPLICATION;
          END IF;
        END $$"""
            .formatted(USER));
    try (Connection connection = admin.getConnection();
        Statement statement = connection.createStatement()) {
      // CREATE DATABASE has no IF NOT EXISTS and cannot run in a DO block.
      boolean exists =
          statement
              .executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")
              .next();
      if (!exists) {
        statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create the database " + DATABASE + ": " + e, e);
    }
  }

  private static String exampleSchema() {
    try (InputStream in =
        DevPostgres.class.getResourceAsStream("/io/runnel/dev/example-schema.sql")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void execute(DataSource database, String sql) {
    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot set up the dev database: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
    }
  }
}
