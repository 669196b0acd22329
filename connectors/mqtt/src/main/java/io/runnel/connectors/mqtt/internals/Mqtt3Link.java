package io.runnel.connectors.mqtt.internals;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3ConnectBuilder;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import io.runnel.connectors.mqtt.MqttSettings;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * {@link MqttLink} over MQTT 3.1.1: a persistent session ({@code cleanSession=false}) whose expiry
 * is the broker's setting; no user properties or content type.
 */
final class Mqtt3Link implements MqttLink {

  private final Mqtt3AsyncClient client;
  private final MqttSettings settings;
  private final List<String> filters;

  Mqtt3Link(
      Mqtt3ClientBuilder builder,
      MqttSettings settings,
      List<String> filters,
      Consumer<InboundMessage> handler,
      Executor executor,
      Listener listener) {
    this.settings = settings;
    this.filters = filters;
    this.client = builder.addConnectedListener(context -> subscribe(listener)).buildAsync();
    // Registered before connecting, so the messages waiting in the session reach it too.
    client.publishes(
        MqttGlobalPublishFilter.ALL, publish -> handler.accept(inbound(publish)), executor, true);
  }

  private static InboundMessage inbound(Mqtt3Publish publish) {
    return new InboundMessage(
        publish.getTopic().toString(),
        publish.getPayloadAsBytes(),
        publish.getQos().getCode(),
        publish.isRetain(),
        null,
        List.of(),
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
    Mqtt3ConnectBuilder.Send<CompletableFuture<Mqtt3ConnAck>> connect =
        client
            .connectWith()
            .cleanSession(false)
            .keepAlive((int) settings.getKeepAlive().toSeconds());
    if (settings.getUsername() != null) {
      connect =
          connect
              .simpleAuth()
              .username(settings.getUsername())
              .password(Mqtt5Link.password(settings))
              .applySimpleAuth();
    }
    return connect.send().thenApply(ack -> null);
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
        .thenApply(published -> null);
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
