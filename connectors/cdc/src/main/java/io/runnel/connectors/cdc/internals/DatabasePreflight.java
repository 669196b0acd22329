package io.runnel.connectors.cdc.internals;

import io.micronaut.context.exceptions.ConfigurationException;
import io.runnel.connectors.cdc.CdcSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Checks, before the engine starts, what Debezium would otherwise report late or vaguely: the
 * login, {@code wal_level=logical}, the REPLICATION attribute, and that every configured table
 * exists. A database that does not answer is not a configuration error: the connector retries.
 */
final class DatabasePreflight {

  /** The database did not answer; worth retrying. */
  static final class Unreachable extends Exception {
    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private DatabasePreflight() {}

  static void check(CdcSettings settings) throws Unreachable {
    String url =
        "jdbc:postgresql://"
            + settings.getHost()
            + ":"
            + settings.getPort()
            + "/"
            + settings.getDatabase();
    Properties login = new Properties();
    login.setProperty("user", settings.getUser());
    if (settings.getPassword() != null) {
      login.setProperty("password", settings.getPassword());
    }
    login.setProperty("connectTimeout", "10");
    try (Connection connection = DriverManager.getConnection(url, login)) {
      checkWalLevel(connection, settings);
      checkReplicationAttribute(connection, settings);
      for (String table : settings.getTables()) {
        checkTable(connection, settings, table);
      }
    } catch (SQLException e) {
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      if (state.startsWith("08")) {
        throw new Unreachable(
            "PostgreSQL at "
                + settings.getHost()
                + ":"
                + settings.getPort()
                + " does not answer: "
                + e.getMessage(),
            e);
      }
      if (state.startsWith("28")) {
        throw new ConfigurationException(
            "runnel.cdc.user / runnel.cdc.password: PostgreSQL refused the login of '"
                + settings.getUser()
                + "': "
                + e.getMessage());
      }
      if (state.equals("3D000")) {
        throw new ConfigurationException(
            "runnel.cdc.database: database '" + settings.getDatabase() + "' does not exist");
      }
      throw new ConfigurationException(
          "runnel.cdc: checking the database failed: " + e.getMessage(), e);
    }
  }

  private static void checkWalLevel(Connection connection, CdcSettings settings)
      throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SHOW wal_level")) {
      result.next();
      String level = result.getString(1);
      if (!"logical".equals(level)) {
        throw new ConfigurationException(
            "PostgreSQL at "
                + settings.getHost()
                + ":"
                + settings.getPort()
                + " has wal_level="
                + level
                + "; change data capture needs wal_level=logical (set it in postgresql.conf and"
                + " restart the server)");
      }
    }
  }

  private static void checkReplicationAttribute(Connection connection, CdcSettings settings)
      throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user")) {
      if (result.next() && !result.getBoolean(1)) {
        throw new ConfigurationException(
            "runnel.cdc.user: '"
                + settings.getUser()
                + "' lacks the REPLICATION attribute (ALTER ROLE "
                + settings.getUser()
                + " REPLICATION)");
      }
    }
  }

  private static void checkTable(Connection connection, CdcSettings settings, String table)
      throws SQLException {
    String[] parts = table.split("\\.", 2);
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
      statement.setString(1, parts[0]);
      statement.setString(2, parts[1]);
      try (ResultSet result = statement.executeQuery()) {
        if (!result.next()) {
          throw new ConfigurationException(
              "runnel.cdc.tables: table "
                  + table
                  + " does not exist in database '"
                  + settings.getDatabase()
                  + "'");
        }
      }
    }
  }
}
