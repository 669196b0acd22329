package io.runnel.registry.server;

import io.micronaut.context.env.PropertySource;
import io.micronaut.runtime.Micronaut;
import java.util.Map;

/**
 * Runs the dev registry as a server of its own (the {@code runnel/registry} image): the Confluent
 * Schema Registry API on {@code micronaut.server.port} (8081 unless set), its state in the topic
 * {@code runnel.registry-server.topic} (default {@code _schemas}) of the cluster at {@code
 * runnel.registry-server.kafka-bootstrap-servers}, and {@code /health/liveness} and {@code
 * /health/readiness} for probes. Settings come from environment variables ({@code
 * RUNNEL_REGISTRY_SERVER_KAFKA_BOOTSTRAP_SERVERS}, {@code MICRONAUT_SERVER_PORT}), system
 * properties or arguments. Stops on SIGTERM.
 */
public final class RegistryServerMain {

  /** Below every other source, so the environment and arguments win. */
  private static final PropertySource DEFAULTS =
      PropertySource.of(
          "runnel-registry-server-defaults", Map.of("micronaut.server.port", 8081), -400);

  private RegistryServerMain() {}

  public static void main(String[] args) {
    Micronaut.build(args)
        .banner(false)
        .propertySources(DEFAULTS)
        .properties(DevSchemaRegistry.REGISTRY_ONLY)
        .start();
  }
}
