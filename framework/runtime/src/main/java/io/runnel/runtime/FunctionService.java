package io.runnel.runtime;

import io.runnel.support.StandaloneProcess;
import java.util.Map;

/**
 * The main of a function service: runs the {@code @EventFunction} beans on the classpath in a
 * process of their own (a container beside Kafka), as {@code java -jar} or as an image's entry
 * point.
 *
 * <p>It serves {@code /health}, {@code /health/liveness}, {@code /health/readiness} and {@code
 * /prometheus} on {@code micronaut.server.port} (default 8080). Settings come from {@code
 * application.yml}, system properties and environment variables, as everywhere in Micronaut: {@code
 * RUNNEL_KAFKA_BOOTSTRAP_SERVERS} sets {@code runnel.kafka.bootstrap-servers}, {@code
 * RUNNEL_SCHEMA_REGISTRY_URL} sets {@code runnel.schema-registry.url}. On SIGTERM it closes the
 * context, which stops every function after it has finished and committed the records in hand
 * (within {@code runnel.runtime.drain-timeout}).
 */
public final class FunctionService {

  private FunctionService() {}

  /** Starts the functions and the HTTP server, and runs until the JVM is asked to stop. */
  public static void main(String[] args) throws InterruptedException {
    StandaloneProcess.run(Map.of(), args);
  }
}
