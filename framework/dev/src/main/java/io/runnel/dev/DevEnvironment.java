package io.runnel.dev;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.runtime.server.EmbeddedServer;
import io.runnel.dev.internals.DevMqttBroker;
import io.runnel.dev.internals.DevPostgres;
import io.runnel.dev.internals.HealthEntries;
import io.runnel.embedded.EmbeddedKafkaBroker;
import io.runnel.registry.server.DevSchemaRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * A running dev environment: the embedded broker (its data kept under the data directory), the dev
 * registry (its state in the broker's {@code _schemas} topic), an MQTT broker and a PostgreSQL with
 * the examples' tables (each unless turned off, their data under the data directory too), and a
 * Micronaut context running the functions on the classpath, with its HTTP server and the connectors
 * wired to those services.
 */
public final class DevEnvironment implements AutoCloseable {

  /** The tables the CDC connector follows: the examples' tables in the dev PostgreSQL. */
  static final String CDC_TABLES = "public.customers,public.orders";

  /** How long the connectors may take to connect before start-up fails. */
  private static final Duration CONNECTORS_READY = Duration.ofMinutes(2);

  private final EmbeddedKafkaBroker broker;
  private final DevSchemaRegistry registry;
  private final DevMqttBroker mqtt;
  private final DevPostgres postgres;
  private final ApplicationContext context;
  private final int httpPort;

  private DevEnvironment(
      EmbeddedKafkaBroker broker,
      DevSchemaRegistry registry,
      DevMqttBroker mqtt,
      DevPostgres postgres,
      ApplicationContext context,
      int httpPort) {
    this.broker = broker;
    this.registry = registry;
    this.mqtt = mqtt;
    this.postgres = postgres;
    this.context = context;
    this.httpPort = httpPort;
  }

  /**
   * Starts everything, in order, and returns once the connectors are connected; what started is
   * stopped again when a later step fails.
   */
  public static DevEnvironment start(DevOptions options) {
    requireFree("--kafka-port", options.kafkaPort());
    requireFree("--registry-port", options.registryPort());
    requireFree("--http-port", options.httpPort());
    if (options.clean()) {
      deleteRecursively(options.dataDir());
    }
    Deque<AutoCloseable> started = new ArrayDeque<>();
    try {
      DevMqttBroker mqtt =
          options.mqtt().enabled()
              ? started(
                  started,
                  DevMqttBroker.start(
                      options.dataDir().resolve("mqtt"), freePortFrom(options.mqtt().port())))
              : null;
      DevPostgres postgres =
          options.postgres().enabled()
              ? started(
                  started,
                  DevPostgres.start(
                      options.dataDir().resolve("postgres"),
                      freePortFrom(options.postgres().port())))
              : null;
      EmbeddedKafkaBroker broker =
          started(
              started,
              EmbeddedKafkaBroker.start(options.dataDir().resolve("kafka"), options.kafkaPort()));
      DevSchemaRegistry registry =
          started(
              started, DevSchemaRegistry.start(broker.bootstrapServers(), options.registryPort()));
      Map<String, Object> properties = new HashMap<>();
      properties.put("runnel.kafka.bootstrap-servers", broker.bootstrapServers());
      properties.put("runnel.schema-registry.url", registry.url());
      properties.put("micronaut.server.port", options.httpPort());
      // A developer reads why a function is down without logging in.
      properties.put("endpoints.health.details-visible", "ANONYMOUS");
      List<String> connectors = new ArrayList<>();
      if (mqtt != null && functionsHaveMqttRules()) {
        properties.putAll(mqttConnector(mqtt));
        connectors.add("mqtt");
      }
      if (postgres != null) {
        properties.putAll(cdcConnector(postgres));
        connectors.add("cdc");
      }
      ApplicationContext context =
          started(
              started,
              ApplicationContext.builder().environments("dev").properties(properties).start());
      EmbeddedServer server = context.getBean(EmbeddedServer.class);
      server.start();
      HealthEntries.awaitUp(context, connectors, CONNECTORS_READY);
      return new DevEnvironment(broker, registry, mqtt, postgres, context, server.getPort());
    } catch (RuntimeException e) {
      closeAll(started, e);
      throw e;
    }
  }

  private static <T extends AutoCloseable> T started(Deque<AutoCloseable> started, T service) {
    started.push(service);
    return service;
  }

  /**
   * Whether the functions' configuration has MQTT routes or outbound rules: without any, the MQTT
   * connector has nothing to do (and would refuse to start), so the broker runs alone.
   */
  private static boolean functionsHaveMqttRules() {
    Environment environment =
        ApplicationContext.builder().environments("dev").build().getEnvironment();
    environment.start();
    try {
      return environment.containsProperties("runnel.mqtt.routes")
          || environment.containsProperties("runnel.mqtt.outbound");
    } finally {
      environment.stop();
    }
  }

  private static Map<String, Object> mqttConnector(DevMqttBroker mqtt) {
    return Map.of(
        "runnel.mqtt.enabled",
        true,
        "runnel.mqtt.host",
        "localhost",
        "runnel.mqtt.port",
        mqtt.port(),
        // One session for every run: what devices sent while dev mode was down waits in it.
        "runnel.mqtt.client-id",
        "runnel-dev");
  }

  private static Map<String, Object> cdcConnector(DevPostgres postgres) {
    return Map.of(
        "runnel.cdc.enabled",
        true,
        "runnel.cdc.host",
        "localhost",
        "runnel.cdc.port",
        postgres.port(),
        "runnel.cdc.database",
        DevPostgres.DATABASE,
        "runnel.cdc.user",
        DevPostgres.USER,
        "runnel.cdc.tables",
        CDC_TABLES);
  }

  /** The line printed once dev mode can take events. */
  public String readyLine() {
    return "Runnel dev ready: kafka=" + broker.bootstrapServers() + " registry=" + registry.url();
  }

  /**
   * The line printed after the ready line: where the MQTT broker and PostgreSQL are, e.g. {@code
   * Runnel dev services: mqtt=tcp://localhost:1883
   * postgres=postgresql://runnel@localhost:5432/runnel}; empty when both are off.
   */
  public Optional<String> servicesLine() {
    StringBuilder line = new StringBuilder("Runnel dev services:");
    if (mqtt != null) {
      line.append(" mqtt=").append(mqtt.url());
    }
    if (postgres != null) {
      line.append(" postgres=").append(postgres.url());
    }
    return mqtt == null && postgres == null ? Optional.empty() : Optional.of(line.toString());
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  public String registryUrl() {
    return registry.url();
  }

  public int httpPort() {
    return httpPort;
  }

  /** The MQTT broker's port, or empty when it is off. */
  public OptionalInt mqttPort() {
    return mqtt == null ? OptionalInt.empty() : OptionalInt.of(mqtt.port());
  }

  /**
   * The JDBC URL of the examples' database, as user {@code runnel} (no password), or empty when
   * PostgreSQL is off.
   */
  public Optional<String> postgresJdbcUrl() {
    return Optional.ofNullable(postgres).map(DevPostgres::jdbcUrl);
  }

  /**
   * Stops the functions and connectors first (they finish and commit what they hold), then the
   * registry, the broker, PostgreSQL and the MQTT broker.
   */
  @Override
  public void close() {
    context.close();
    registry.close();
    broker.close();
    if (postgres != null) {
      postgres.close();
    }
    if (mqtt != null) {
      mqtt.close();
    }
  }

  private static void closeAll(Deque<AutoCloseable> started, RuntimeException failure) {
    for (AutoCloseable service : started) {
      try {
        service.close();
      } catch (Exception e) {
        failure.addSuppressed(e);
      }
    }
  }

  private static void requireFree(String option, int port) {
    if (port != 0 && !isFree(port)) {
      throw new IllegalArgumentException(
          "Port "
              + port
              + " is already in use (is dev mode running already?): choose another with "
              + option);
    }
  }

  /** {@code port} when free, else the next free port above it; a free port of any number for 0. */
  private static int freePortFrom(int port) {
    if (port == 0) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("No free port on this machine", e);
      }
    }
    for (int candidate = port; candidate <= 65535; candidate++) {
      if (isFree(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("No free port from " + port + " up");
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("localhost", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot clean the dev data directory " + dir, e);
    }
  }
}
