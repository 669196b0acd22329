package io.runnel.test;

import io.runnel.embedded.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka broker of a test run: in this JVM by default, or in a container (Testcontainers) when
 * {@code runnel.test.kafka} is {@code testcontainers}, or {@code auto} and Docker answers. The
 * container needs {@code org.testcontainers:kafka} on the test classpath, which the kit does not
 * bring: {@link ContainerBroker} is the only class that names it.
 */
final class TestBroker implements AutoCloseable {

  static final String MODE_PROPERTY = "runnel.test.kafka";
  static final String IMAGE_PROPERTY = "runnel.test.kafka.image";

  private static final Logger LOG = LoggerFactory.getLogger(TestBroker.class);

  private final String bootstrapServers;
  private final AutoCloseable resource;
  private final Path dataDir;

  private TestBroker(String bootstrapServers, AutoCloseable resource, Path dataDir) {
    this.bootstrapServers = bootstrapServers;
    this.resource = resource;
    this.dataDir = dataDir;
  }

  static TestBroker start() {
    String mode = System.getProperty(MODE_PROPERTY, "embedded").toLowerCase(Locale.ROOT);
    boolean container =
        switch (mode) {
          case "embedded" -> false;
          case "testcontainers" -> {
            if (!testcontainersPresent()) {
              throw new IllegalStateException(
                  "-D"
                      + MODE_PROPERTY
                      + "=testcontainers needs org.testcontainers:kafka as a test dependency");
            }
            yield true;
          }
          case "auto" -> testcontainersPresent() && ContainerBroker.dockerAvailable();
          default ->
              throw new IllegalArgumentException(
                  "-D"
                      + MODE_PROPERTY
                      + "="
                      + mode
                      + " is not one of embedded, testcontainers, auto");
        };
    if (container) {
      ContainerBroker kafka =
          ContainerBroker.start(System.getProperty(IMAGE_PROPERTY, "apache/kafka:4.1.1"));
      LOG.info("Test broker: container {}", kafka.bootstrapServers());
      return new TestBroker(kafka.bootstrapServers(), kafka, null);
    }
    return embedded(Map.of());
  }

  /** A broker in this JVM with {@code brokerProperties} on top of the embedded broker's. */
  static TestBroker embedded(Map<String, String> brokerProperties) {
    try {
      Path dataDir = Files.createTempDirectory("runnel-test-kafka");
      EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0, brokerProperties);
      LOG.info("Test broker: in-JVM KRaft {} {}", broker.bootstrapServers(), brokerProperties);
      return new TestBroker(broker.bootstrapServers(), broker, dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the test classpath has Testcontainers' Kafka module (without loading it). */
  private static boolean testcontainersPresent() {
    try {
      Class.forName(
          "org.testcontainers.kafka.KafkaContainer", false, TestBroker.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() throws Exception {
    resource.close();
    if (dataDir != null) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }
}
