package io.runnel.connectors.cdc;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.convert.format.MapFormat;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CDC connector, under {@code runnel.cdc}: which PostgreSQL database and tables to follow, and
 * how their changes become events. Kafka and the registry come from {@code runnel.kafka} and {@code
 * runnel.schema-registry}.
 */
@ConfigurationProperties("runnel.cdc")
public class CdcSettings {

  private boolean enabled;
  private String host = "localhost";
  private int port = 5432;
  private String database;
  private String user;
  private String password;
  private List<String> tables = List.of();
  private String topicPrefix = "cdc";
  private CdcShape shape = CdcShape.FLAT;
  private CdcSnapshotMode snapshot = CdcSnapshotMode.INITIAL;
  private String slot = "runnel_cdc";
  private String publication = "runnel_cdc";
  private boolean createPublication = true;
  private Duration heartbeatInterval = Duration.ofSeconds(10);
  private String offsetsTopic = "runnel-cdc-offsets";
  private Duration offsetsFlushInterval = Duration.ofSeconds(1);
  private Duration restartBackoff = Duration.ofSeconds(1);
  private Duration maxRestartBackoff = Duration.ofSeconds(30);
  private Map<String, String> debezium = new HashMap<>();

  /** {@code runnel.cdc.enabled}: start the connector (default false). */
  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** {@code runnel.cdc.host}: the PostgreSQL host (default localhost). */
  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  /** {@code runnel.cdc.port}: the PostgreSQL port (default 5432). */
  public int getPort() {
    return port;
  }

  public void setPort(int port) {
    this.port = port;
  }

  /** {@code runnel.cdc.database}: required. */
  public String getDatabase() {
    return database;
  }

  public void setDatabase(String database) {
    this.database = database;
  }

  /** {@code runnel.cdc.user}: required; needs the REPLICATION attribute. */
  public String getUser() {
    return user;
  }

  public void setUser(String user) {
    this.user = user;
  }

  /** {@code runnel.cdc.password}. */
  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  /**
   * {@code runnel.cdc.tables}: required, {@code schema.table} names, e.g. {@code public.orders}.
   */
  public List<String> getTables() {
    return tables;
  }

  public void setTables(List<String> tables) {
    this.tables = tables;
  }

  /** {@code runnel.cdc.topic-prefix}: events go to {@code <prefix>.<schema>.<table>} (cdc). */
  public String getTopicPrefix() {
    return topicPrefix;
  }

  public void setTopicPrefix(String topicPrefix) {
    this.topicPrefix = topicPrefix;
  }

  /** {@code runnel.cdc.shape}: {@code flat} (default) or {@code envelope}. */
  public CdcShape getShape() {
    return shape;
  }

  public void setShape(CdcShape shape) {
    this.shape = shape;
  }

  /** {@code runnel.cdc.snapshot}: {@code initial} (default), {@code never}, {@code when-needed}. */
  public CdcSnapshotMode getSnapshot() {
    return snapshot;
  }

  public void setSnapshot(CdcSnapshotMode snapshot) {
    this.snapshot = snapshot;
  }

  /** {@code runnel.cdc.slot}: the logical replication slot (default runnel_cdc). */
  public String getSlot() {
    return slot;
  }

  public void setSlot(String slot) {
    this.slot = slot;
  }

  /** {@code runnel.cdc.publication}: the pgoutput publication (default runnel_cdc). */
  public String getPublication() {
    return publication;
  }

  public void setPublication(String publication) {
    this.publication = publication;
  }

  /**
   * {@code runnel.cdc.create-publication}: create the publication for the tables when missing
   * (default true; needs table ownership). False: it must exist.
   */
  public boolean isCreatePublication() {
    return createPublication;
  }

  public void setCreatePublication(boolean createPublication) {
    this.createPublication = createPublication;
  }

  /**
   * {@code runnel.cdc.heartbeat-interval}: how often the slot is moved on while the tables are
   * idle, so PostgreSQL can drop old WAL (default 10s; 0 turns heartbeats off).
   */
  public Duration getHeartbeatInterval() {
    return heartbeatInterval;
  }

  public void setHeartbeatInterval(Duration heartbeatInterval) {
    this.heartbeatInterval = heartbeatInterval;
  }

  /** {@code runnel.cdc.offsets-topic}: where the position in the WAL is kept. */
  public String getOffsetsTopic() {
    return offsetsTopic;
  }

  public void setOffsetsTopic(String offsetsTopic) {
    this.offsetsTopic = offsetsTopic;
  }

  /**
   * {@code runnel.cdc.offsets-flush-interval}: how often acknowledged positions are stored (default
   * 1s); a crash replays at most this much.
   */
  public Duration getOffsetsFlushInterval() {
    return offsetsFlushInterval;
  }

  public void setOffsetsFlushInterval(Duration offsetsFlushInterval) {
    this.offsetsFlushInterval = offsetsFlushInterval;
  }

  /** {@code runnel.cdc.restart-backoff}: first wait before restarting after a failure (1s). */
  public Duration getRestartBackoff() {
    return restartBackoff;
  }

  public void setRestartBackoff(Duration restartBackoff) {
    this.restartBackoff = restartBackoff;
  }

  /** {@code runnel.cdc.max-restart-backoff}: the longest wait between restarts (30s). */
  public Duration getMaxRestartBackoff() {
    return maxRestartBackoff;
  }

  public void setMaxRestartBackoff(Duration maxRestartBackoff) {
    this.maxRestartBackoff = maxRestartBackoff;
  }

  /** {@code runnel.cdc.debezium.*}: further Debezium connector properties, passed as they are. */
  public Map<String, String> getDebezium() {
    return debezium;
  }

  public void setDebezium(
      @MapFormat(transformation = MapFormat.MapTransformation.FLAT) Map<String, String> debezium) {
    this.debezium = debezium;
  }

  /** Fails start-up naming the first setting that is missing or wrong. */
  public void validate() {
    require(database, "database");
    require(user, "user");
    if (tables == null || tables.isEmpty()) {
      throw new ConfigurationException(
          "runnel.cdc.tables is required: the schema.table names to follow, e.g. public.orders");
    }
    for (String table : tables) {
      if (!table.matches("[^.\\s]+\\.[^.\\s]+")) {
        throw new ConfigurationException(
            "runnel.cdc.tables: '" + table + "' is not a schema.table name, e.g. public.orders");
      }
    }
    if (port <= 0 || port > 65535) {
      throw new ConfigurationException("runnel.cdc.port: " + port + " is not a port number");
    }
    if (heartbeatInterval.isNegative() || restartBackoff.isNegative()) {
      throw new ConfigurationException(
          "runnel.cdc.heartbeat-interval and runnel.cdc.restart-backoff must not be negative");
    }
  }

  private static void require(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new ConfigurationException("runnel.cdc." + name + " is required");
    }
  }
}
