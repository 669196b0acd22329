package io.runnel.connectors.mqtt.internals;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.runnel.connectors.mqtt.MqttSettings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link MqttLink} over MQTT 5: session expiry, receive maximum, user properties. */
final class Mqtt5Link implements MqttLink {

  private static final Logger LOG = LoggerFactory.getLogger(Mqtt5Link.class);
  private static final int PROTOCOL_RECEIVE_MAXIMUM = 65_535;

  private final Mqtt5AsyncClient client;
  private final MqttSettings settings;
  private final List<String> filters;

  Mqtt5Link(
      Mqtt5ClientBuilder builder,
      MqttSettings settings,
      List<String> filters,
      Consumer<InboundMessage> handler,
      Executor executor,
      Listener listener) {
    this.settings = settings;
    this.filters = filters;
    this.client =
        builder
            .addConnectedListener(context -> subscribe(listener))
            .addDisconnectedListener(this::raiseReceiveMaximumIfExceeded)
            .buildAsync();
    // Registered before connecting, so the messages waiting in the session reach it too.
    client.publishes(
        MqttGlobalPublishFilter.ALL, publish -> handler.accept(inbound(publish)), executor, true);
  }

  private static InboundMessage inbound(Mqtt5Publish publish) {
    return new InboundMessage(
        publish.getTopic().toString(),
        publish.getPayloadAsBytes(),
        publish.getQos().getCode(),
        publish.isRetain(),
        publish.getContentType().map(Object::toString).orElse(null),
        publish.getUserProperties().asList().stream()
            .map(p -> Map.entry(p.getName().toString(), p.getValue().toString()))
            .toList(),
        publish::acknowledge);
  }

  private void subscribe(Listener listener) {
    MqttLink.subscribeAll(
        filters,
        filter -> client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send(),
        listener);
  }

  @Override
  public CompletableFuture<Void> connect() {
    return client.connect(connectMessage(settings.getReceiveMaximum())).thenApply(ack -> null);
  }

  private Mqtt5Connect connectMessage(int receiveMaximum) {
    Mqtt5ConnectBuilder connect =
        Mqtt5Connect.builder()
            .cleanStart(false)
            .sessionExpiryInterval(settings.getSessionExpiry().toSeconds())
            .keepAlive((int) settings.getKeepAlive().toSeconds())
            .restrictions()
            .receiveMaximum(receiveMaximum)
            .applyRestrictions();
    if (settings.getUsername() != null) {
      connect =
          connect
              .simpleAuth()
              .username(settings.getUsername())
              .password(password(settings))
              .applySimpleAuth();
    }
    return connect.build();
  }

  /**
   * A broker that sent more unacknowledged messages than the receive maximum (Mosquitto before
   * 2.0.13 does once it has any queued) would do it again on every reconnect, since it resends all
   * it has in flight: the next connect advertises the protocol's largest receive maximum, so the
   * connector makes progress instead of looping.
   */
  private void raiseReceiveMaximumIfExceeded(MqttClientDisconnectedContext context) {
    if (MqttLink.receiveMaximumExceeded(context)
        && context instanceof Mqtt5ClientDisconnectedContext v5
        && settings.getReceiveMaximum() < PROTOCOL_RECEIVE_MAXIMUM) {
      LOG.warn(
          "The MQTT broker sent more unacknowledged messages than runnel.mqtt.receive-maximum ({});"
              + " reconnecting with {}, the protocol's largest (Mosquitto before 2.0.13 does this:"
              + " upgrade it, or set runnel.mqtt.receive-maximum to {})",
          settings.getReceiveMaximum(),
          PROTOCOL_RECEIVE_MAXIMUM,
          PROTOCOL_RECEIVE_MAXIMUM);
      v5.getReconnector().connect(connectMessage(PROTOCOL_RECEIVE_MAXIMUM));
    }
  }

  static byte[] password(MqttSettings settings) {
    return settings.getPassword() == null
        ? new byte[0]
        : settings.getPassword().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain) {
    return client
        .publishWith()
        .topic(topic)
        .qos(MqttQos.fromCode(qos))
        .retain(retain)
        .payload(payload)
        .send()
        .thenApply(
            result -> {
              result
                  .getError()
                  .ifPresent(
                      error -> {
                        throw new IllegalStateException(error);
                      });
              return null;
            });
  }

  @Override
  public CompletableFuture<Void> disconnect() {
    return client.disconnect();
  }

  @Override
  public void close() {
    client.disconnect();
  }
}
