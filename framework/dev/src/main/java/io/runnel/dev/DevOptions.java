package io.runnel.dev;

import java.nio.file.Path;

/**
 * What dev mode starts: the ports of Kafka, the registry and the HTTP server (0 for free ones),
 * whether and where to run the MQTT broker and PostgreSQL, where the data is kept, and whether to
 * wipe it first.
 */
public record DevOptions(
    int kafkaPort,
    int registryPort,
    int httpPort,
    Service mqtt,
    Service postgres,
    Path dataDir,
    boolean clean) {

  /**
   * A service dev mode may run besides Kafka: whether it does, and its port (0 for a free one; when
   * the port is taken, the next free one above it).
   */
  public record Service(boolean enabled, int port) {

    /** The service on {@code port}. */
    public static Service on(int port) {
      return new Service(true, port);
    }

    /** The service not started (and its connector not run). */
    public static Service off() {
      return new Service(false, 0);
    }
  }

  /**
   * The defaults of {@code runnel dev}: Kafka 9092, registry 8081, HTTP 8080, MQTT 1883, PostgreSQL
   * 5432, data in {@code .runnel/dev}.
   */
  public static DevOptions defaults() {
    return new DevOptions(
        9092, 8081, 8080, Service.on(1883), Service.on(5432), Path.of(".runnel", "dev"), false);
  }
}
