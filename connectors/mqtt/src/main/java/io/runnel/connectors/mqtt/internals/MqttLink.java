package io.runnel.connectors.mqtt.internals;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedListener;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedListener;
import io.micronaut.context.exceptions.ConfigurationException;
import io.runnel.connectors.mqtt.MqttSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.TrustManagerFactory;

/**
 * The connection to the MQTT broker, for either protocol version: a persistent session (no clean
 * start) subscribed at QoS 1 to the routes' filters, every message handed over with manual
 * acknowledgement, reconnecting with backoff when the connection is lost.
 */
interface MqttLink extends AutoCloseable {

  /** What happens to the connection, for the status and the logs. */
  interface Listener {
    void connected();

    void disconnected(Throwable cause);
  }

  /** Connects (the client keeps retrying with backoff) and subscribes on every connect. */
  CompletableFuture<Void> connect();

  /** Publishes and completes when the broker acknowledged it (QoS 1 and 2). */
  CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain);

  /** Drops the connection without acknowledging what is in flight: the broker keeps it. */
  CompletableFuture<Void> disconnect();

  @Override
  void close();

  /**
   * Creates the client. {@code handler} gets every message on {@code executor} (one thread keeps
   * the broker's order) and must acknowledge it.
   */
  static MqttLink create(
      MqttSettings settings,
      String clientId,
      List<String> filters,
      Consumer<InboundMessage> handler,
      Executor executor,
      Listener listener) {
    MqttClientConnectedListener onConnected = context -> listener.connected();
    MqttClientDisconnectedListener onDisconnected =
        context -> listener.disconnected(context.getCause());
    MqttClientBuilder builder =
        MqttClient.builder()
            .identifier(clientId)
            .serverHost(settings.getHost())
            .serverPort(settings.getPort())
            .automaticReconnect()
            .initialDelay(settings.getReconnectInitialDelay().toMillis(), TimeUnit.MILLISECONDS)
            .maxDelay(settings.getReconnectMaxDelay().toMillis(), TimeUnit.MILLISECONDS)
            .applyAutomaticReconnect()
            .addConnectedListener(onConnected)
            .addDisconnectedListener(onDisconnected);
    if (settings.isTls()) {
      builder =
          settings.getTrustStore() == null
              ? builder.sslWithDefaultConfig()
              : builder.sslConfig().trustManagerFactory(trustManagers(settings)).applySslConfig();
    }
    return switch (settings.getProtocol()) {
      case V5 -> new Mqtt5Link(builder.useMqttVersion5(), settings, filters, handler, executor);
      case V3_1_1 -> new Mqtt3Link(builder.useMqttVersion3(), settings, filters, handler, executor);
    };
  }

  private static TrustManagerFactory trustManagers(MqttSettings settings) {
    Path path = Path.of(settings.getTrustStore());
    char[] password =
        settings.getTrustStorePassword() == null
            ? null
            : settings.getTrustStorePassword().toCharArray();
    try (InputStream in = Files.newInputStream(path)) {
      KeyStore store = KeyStore.getInstance(path.toString().endsWith(".jks") ? "JKS" : "PKCS12");
      store.load(in, password);
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory;
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigurationException(
          "runnel.mqtt.trust-store: cannot read " + path + " as a trust store: " + e.getMessage(),
          e);
    }
  }
}
