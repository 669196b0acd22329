package io.runnel.dev;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.runnel.embedded.EmbeddedKafkaBroker;
import io.runnel.registry.server.DevSchemaRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A running dev environment: the embedded broker (its data kept under the data directory), the dev
 * registry (its state in the broker's {@code _schemas} topic) and a Micronaut context running the
 * functions on the classpath, with its HTTP server.
 */
public final class DevEnvironment implements AutoCloseable {

  private final EmbeddedKafkaBroker broker;
  private final DevSchemaRegistry registry;
  private final ApplicationContext context;
  private final int httpPort;

  private DevEnvironment(
      EmbeddedKafkaBroker broker,
      DevSchemaRegistry registry,
      ApplicationContext context,
      int httpPort) {
    this.broker = broker;
    this.registry = registry;
    this.context = context;
    this.httpPort = httpPort;
  }

  /** Starts everything, in order; what started is stopped again when a later step fails. */
  public static DevEnvironment start(DevOptions options) {
    requireFree("--kafka-port", options.kafkaPort());
    requireFree("--registry-port", options.registryPort());
    requireFree("--http-port", options.httpPort());
    if (options.clean()) {
      deleteRecursively(options.dataDir());
    }
    EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(options.dataDir().resolve("kafka"), options.kafkaPort());
    DevSchemaRegistry registry = null;
    ApplicationContext context = null;
    try {
      registry = DevSchemaRegistry.start(broker.bootstrapServers(), options.registryPort());
      context =
          ApplicationContext.builder()
              .environments("dev")
              .properties(
                  Map.of(
                      "runnel.kafka.bootstrap-servers", broker.bootstrapServers(),
                      "runnel.schema-registry.url", registry.url(),
                      "micronaut.server.port", options.httpPort(),
                      // A developer reads why a function is down without logging in.
                      "endpoints.health.details-visible", "ANONYMOUS"))
              .start();
      EmbeddedServer server = context.getBean(EmbeddedServer.class);
      server.start();
      return new DevEnvironment(broker, registry, context, server.getPort());
    } catch (RuntimeException e) {
      if (context != null) {
        context.close();
      }
      if (registry != null) {
        registry.close();
      }
      broker.close();
      throw e;
    }
  }

  /** The line printed once dev mode can take events. */
  public String readyLine() {
    return "Runnel dev ready: kafka=" + broker.bootstrapServers() + " registry=" + registry.url();
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

  /**
   * Stops the functions first (they finish and commit what they hold), then the registry, then the
   * broker.
   */
  @Override
  public void close() {
    context.close();
    registry.close();
    broker.close();
  }

  private static void requireFree(String option, int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("localhost", port));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Port "
              + port
              + " is already in use (is dev mode running already?): choose another with "
              + option);
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
