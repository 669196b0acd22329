package io.runnel.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Option;

/**
 * The options every {@code runnel} subcommand that talks to Kafka takes ({@code @Mixin}): where the
 * cluster is, the client properties for TLS/SASL (a file, as Kafka's own tools take it), how long
 * to wait for it, and whether to show the Kafka client's log. It makes the clients, and {@link
 * #admin()} fails in one line, within {@code --timeout}, when the cluster does not answer.
 */
final class KafkaOptions {

  @Option(
      names = {"--bootstrap-server", "--bootstrap-servers"},
      required = true,
      paramLabel = "HOST:PORT[,...]",
      description = "The Kafka cluster.")
  String bootstrapServers;

  @Option(
      names = "--command-config",
      paramLabel = "FILE",
      description =
          "Kafka client properties (security.protocol, ssl.*, sasl.*, ...) for every client the"
              + " command makes, as Kafka's own tools take them.")
  Path commandConfig;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "How long to wait for Kafka before giving up (e.g. 500ms, 10s, 2m; default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--verbose",
      description = "Show the Kafka client's log (on standard error); quiet otherwise.")
  boolean verbose;

  /** Whether the cluster has answered this command once. */
  private boolean reached;

  /** The settings every client gets: the cluster, the command config, and the timeout. */
  Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>();
    if (commandConfig != null) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(commandConfig)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new CommandFailure(
            "cannot read --command-config " + commandConfig + ": " + CommandFailure.describe(e));
      }
      properties.forEach((key, value) -> config.put((String) key, value));
    }
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, millis);
    config.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, (long) millis);
    config.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, (long) millis);
    return config;
  }

  /** A consumer of raw bytes that joins no group. */
  KafkaConsumer<byte[], byte[]> consumer(String isolationLevel) {
    Map<String, Object> config = clientConfig();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "runnel-cli-" + UUID.randomUUID());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return create(
        () ->
            new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
  }

  /** Producer settings: the client config, blocking no longer than the timeout. */
  Map<String, Object> producerConfig() {
    Map<String, Object> config = clientConfig();
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
    return config;
  }

  /**
   * An admin client of a cluster that answered: asks for the cluster's id first, so an unreachable
   * or misconfigured cluster is reported once, within the timeout, before any real work.
   */
  Admin admin() {
    Admin admin = create(() -> Admin.create(clientConfig()));
    try {
      await(
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
              .clusterId());
      reached = true;
      return admin;
    } catch (RuntimeException e) {
      admin.close(Duration.ZERO);
      throw e;
    }
  }

  /**
   * The value of {@code future}, or a {@link CommandFailure}: for an unreachable cluster after
   * {@code --timeout}, else with the Kafka error (a missing topic, a denied request) as its cause.
   */
  <T> T await(KafkaFuture<T> future) {
    try {
      return future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw timedOut(e.getCause());
      }
      CommandFailure failure = new CommandFailure(CommandFailure.describe(e.getCause()));
      failure.initCause(e.getCause());
      throw failure;
    } catch (TimeoutException e) {
      throw timedOut(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailure("interrupted");
    }
  }

  /** Once the cluster answered, a later timeout means a slow answer, not a wrong address. */
  private CommandFailure timedOut(Throwable cause) {
    return reached
        ? new CommandFailure(
            "Kafka at "
                + bootstrapServers
                + " did not answer within "
                + DurationConverter.format(timeout)
                + " (a busy cluster: try a longer --timeout)")
        : unreachable(cause);
  }

  /** Reports a cluster that did not answer, naming it, how long we waited and what to check. */
  CommandFailure unreachable(Throwable cause) {
    String why =
        cause instanceof org.apache.kafka.common.errors.TimeoutException
                || cause instanceof TimeoutException
            ? "no answer within " + DurationConverter.format(timeout)
            : CommandFailure.describe(cause);
    return new CommandFailure(
        "cannot reach Kafka at "
            + bootstrapServers
            + ": "
            + why
            + " (check --bootstrap-server, and --command-config for TLS/SASL)");
  }

  private <T> T create(java.util.function.Supplier<T> client) {
    try {
      return client.get();
    } catch (KafkaException e) {
      // e.g. a host name that does not resolve, or a bad property in --command-config
      throw unreachable(e.getCause() != null ? e.getCause() : e);
    }
  }
}
