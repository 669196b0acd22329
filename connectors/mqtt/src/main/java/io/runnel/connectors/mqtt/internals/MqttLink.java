package io.runnel.connectors.mqtt.internals;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedListener;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedListener;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
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
import java.util.function.Function;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to the MQTT broker, for either protocol version: a persistent session (no clean
 * start) subscribed at QoS 1 to the routes' filters, every message handed over with manual
 * acknowledgement, reconnecting with backoff when the connection is lost.
 */
interface MqttLink extends AutoCloseable {

  Logger LOG = LoggerFactory.getLogger(MqttLink.class);

  /** What happens to the connection, for the status and the logs. */
  interface Listener {
    /** A connection is up (CONNACK); messages waiting in the session may arrive from now on. */
    void connected();

    /** The connection's subscriptions are acknowledged: new messages reach the connector. */
    void subscribed();

    /**
     * The connection ended or a connect failed; {@code protocolError} says how the broker broke the
     * protocol when that is why the client closed it, else null.
     */
    void disconnected(Throwable cause, String protocolError);
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
        context -> listener.disconnected(context.getCause(), protocolError(context));
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
      case V5 ->
          new Mqtt5Link(builder.useMqttVersion5(), settings, filters, handler, executor, listener);
      case V3_1_1 ->
          new Mqtt3Link(builder.useMqttVersion3(), settings, filters, handler, executor, listener);
    };
  }

  /**
   * Subscribes to every filter with {@code subscribe} and tells {@code listener} once all are
   * acknowledged.
   */
  static void subscribeAll(
      List<String> filters, Function<String, CompletableFuture<?>> subscribe, Listener listener) {
    CompletableFuture.allOf(filters.stream().map(subscribe).toArray(CompletableFuture[]::new))
        .whenComplete(
            (acknowledged, failure) -> {
              if (failure == null) {
                listener.subscribed();
              } else {
                LOG.warn("The MQTT broker refused a subscription: {}", failure.toString());
              }
            });
  }

  /** Why the client closed the connection on a broker's protocol violation, or null. */
  static String protocolError(MqttClientDisconnectedContext context) {
    if (context.getSource() != MqttDisconnectSource.CLIENT) {
      return null;
    }
    if (receiveMaximumExceeded(context)) {
      return "PROTOCOL_ERROR: receive maximum exceeded by broker";
    }
    Throwable cause = context.getCause();
    if (cause instanceof Mqtt5DisconnectException e
        && (e.getMqttMessage().getReasonCode() == Mqtt5DisconnectReasonCode.PROTOCOL_ERROR
            || e.getMqttMessage().getReasonCode() == Mqtt5DisconnectReasonCode.MALFORMED_PACKET)) {
      return "PROTOCOL_ERROR: " + e.getMessage();
    }
    return cause instanceof Mqtt3DisconnectException
        ? "PROTOCOL_ERROR: " + cause.getMessage()
        : null;
  }

  static boolean receiveMaximumExceeded(MqttClientDisconnectedContext context) {
    return context.getSource() == MqttDisconnectSource.CLIENT
        && context.getCause() instanceof Mqtt5DisconnectException e
        && e.getMqttMessage().getReasonCode() == Mqtt5DisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED;
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
