package io.runnel.connectors.mqtt.internals;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.runnel.connectors.mqtt.MqttSettings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/** {@link MqttLink} over MQTT 5: session expiry, receive maximum, user properties. */
final class Mqtt5Link implements MqttLink {

  private final Mqtt5AsyncClient client;
  private final MqttSettings settings;
  private final List<String> filters;

  Mqtt5Link(
      Mqtt5ClientBuilder builder,
      MqttSettings settings,
      List<String> filters,
      Consumer<InboundMessage> handler,
      Executor executor) {
    this.settings = settings;
    this.filters = filters;
    this.client = builder.addConnectedListener(context -> subscribe()).buildAsync();
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

  private void subscribe() {
    for (String filter : filters) {
      client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
    }
  }

  @Override
  public CompletableFuture<Void> connect() {
    Mqtt5ConnectBuilder.Send<CompletableFuture<Mqtt5ConnAck>> connect =
        client
            .connectWith()
            .cleanStart(false)
            .sessionExpiryInterval(settings.getSessionExpiry().toSeconds())
            .keepAlive((int) settings.getKeepAlive().toSeconds())
            .restrictions()
            .receiveMaximum(settings.getReceiveMaximum())
            .applyRestrictions();
    if (settings.getUsername() != null) {
      connect =
          connect
              .simpleAuth()
              .username(settings.getUsername())
              .password(password(settings))
              .applySimpleAuth();
    }
    return connect.send().thenApply(ack -> null);
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
