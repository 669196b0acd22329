package io.runnel.test;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A Kafka broker in a Docker container (Testcontainers). Testcontainers is an optional dependency
 * of the kit: {@link TestBroker} loads this class only after checking Testcontainers is present.
 */
final class ContainerBroker implements AutoCloseable {

  private final KafkaContainer container;

  private ContainerBroker(KafkaContainer container) {
    this.container = container;
  }

  static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  static ContainerBroker start(String image) {
    KafkaContainer container = new KafkaContainer(image);
    container.start();
    return new ContainerBroker(container);
  }

  String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public void close() {
    container.close();
  }
}
