package io.runnel.registry.server;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the dev registry: its own small Micronaut HTTP server, keeping its state in a Kafka topic.
 * Started by dev mode and the test kit; production points clients at Confluent Schema Registry,
 * Apicurio (ccompat API) or Karapace instead.
 */
public final class DevSchemaRegistry implements AutoCloseable {

  /**
   * What makes a context serve the registry only, even when functions, connectors or the HTTP
   * gateway (and with it Micronaut Security) are on the classpath and switched on in the
   * environment.
   */
  static final Map<String, Object> REGISTRY_ONLY =
      Map.ofEntries(
          Map.entry("runnel.registry-server.enabled", "true"),
          Map.entry("runnel.runtime.enabled", "false"),
          Map.entry("runnel.http.enabled", "false"),
          Map.entry("runnel.scheduler.enabled", "false"),
          Map.entry("runnel.cdc.enabled", "false"),
          Map.entry("runnel.mqtt.enabled", "false"),
          Map.entry("micronaut.security.enabled", "false"),
          Map.entry(
              "micronaut.codec.json.additional-types",
              "application/vnd.schemaregistry.v1+json,application/vnd.schemaregistry+json"));

  private final ApplicationContext context;
  private final String url;

  private DevSchemaRegistry(ApplicationContext context, String url) {
    this.context = context;
    this.url = url;
  }

  /**
   * Starts the registry on {@code port} (0 for a free one), replaying its state from Kafka first.
   */
  public static DevSchemaRegistry start(String kafkaBootstrapServers, int port) {
    Map<String, Object> properties = new HashMap<>(REGISTRY_ONLY);
    properties.put("runnel.registry-server.kafka-bootstrap-servers", kafkaBootstrapServers);
    properties.put("micronaut.server.port", port);
    properties.put("micronaut.server.host", "localhost");
    ApplicationContext context =
        ApplicationContext.builder()
            .deduceEnvironment(false)
            .banner(false)
            .properties(properties)
            .start();
    try {
      EmbeddedServer server = context.getBean(EmbeddedServer.class);
      server.start();
      return new DevSchemaRegistry(context, "http://localhost:" + server.getPort());
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
  }

  /** The base URL clients use, for example {@code http://localhost:8081}. */
  public String url() {
    return url;
  }

  @Override
  public void close() {
    context.close();
  }
}
