package io.runnel.dev;

import java.nio.file.Path;

/**
 * What dev mode starts: the ports of Kafka, the registry and the HTTP server (0 for free ones),
 * where the broker keeps its data, and whether to wipe it first.
 */
public record DevOptions(
    int kafkaPort, int registryPort, int httpPort, Path dataDir, boolean clean) {

  /**
   * The defaults of {@code runnel dev}: Kafka 9092, registry 8081, HTTP 8080, data in {@code
   * .runnel/dev}.
   */
  public static DevOptions defaults() {
    return new DevOptions(9092, 8081, 8080, Path.of(".runnel", "dev"), false);
  }
}
