package io.runnel.connectors.mqtt;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The MQTT connector, under {@code runnel.mqtt}: the broker, the session, and the limits. Routes
 * are under {@code runnel.mqtt.routes.<name>} ({@link MqttRouteSettings}), the way back to devices
 * under {@code runnel.mqtt.outbound.<name>} ({@link MqttOutboundSettings}).
 */
@ConfigurationProperties("runnel.mqtt")
public class MqttSettings {

  private boolean enabled;
  private String host = "localhost";
  private Integer port;
  private MqttProtocol protocol = MqttProtocol.V5;
  private String clientId;
  private String username;
  private String password;
  private boolean tls;
  private String trustStore;
  private String trustStorePassword;
  private Duration sessionExpiry = Duration.ofHours(1);
  private Duration keepAlive = Duration.ofSeconds(30);
  private Duration reconnectInitialDelay = Duration.ofSeconds(1);
  private Duration reconnectMaxDelay = Duration.ofSeconds(30);
  private int receiveMaximum = 65_535;
  private int maxPayloadSize = 256 * 1024;
  private String deadLetterTopic = "mqtt.dlq";
  private Duration kafkaTimeout = Duration.ofSeconds(30);

  /** {@code runnel.mqtt.enabled}: start the connector (default false). */
  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** {@code runnel.mqtt.host}: the MQTT broker (default localhost). */
  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  /** {@code runnel.mqtt.port}: default 1883, or 8883 with TLS. */
  public int getPort() {
    return port != null ? port : tls ? 8883 : 1883;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  /** {@code runnel.mqtt.protocol}: V5 (default) or V3_1_1. */
  public MqttProtocol getProtocol() {
    return protocol;
  }

  public void setProtocol(MqttProtocol protocol) {
    this.protocol = protocol;
  }

  /**
   * {@code runnel.mqtt.client-id}: the session's identity at the broker; keep it stable, since
   * messages not yet acknowledged wait in that session (default {@code runnel-mqtt-<instance-id>}).
   */
  public String getClientId() {
    return clientId;
  }

  public void setClientId(String clientId) {
    this.clientId = clientId;
  }

  /** {@code runnel.mqtt.username}: for the broker's username/password authentication. */
  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  /** {@code runnel.mqtt.password}. */
  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  /** {@code runnel.mqtt.tls}: connect with TLS (default false). */
  public boolean isTls() {
    return tls;
  }

  public void setTls(boolean tls) {
    this.tls = tls;
  }

  /**
   * {@code runnel.mqtt.trust-store}: a PKCS12 or JKS file with the broker's CA, when the JVM's
   * default trust store does not have it.
   */
  public String getTrustStore() {
    return trustStore;
  }

  public void setTrustStore(String trustStore) {
    this.trustStore = trustStore;
  }

  /** {@code runnel.mqtt.trust-store-password}. */
  public String getTrustStorePassword() {
    return trustStorePassword;
  }

  public void setTrustStorePassword(String trustStorePassword) {
    this.trustStorePassword = trustStorePassword;
  }

  /**
   * {@code runnel.mqtt.session-expiry}: how long the broker keeps the session, and the messages
   * queued in it, while the connector is away (MQTT 5; default 1h).
   */
  public Duration getSessionExpiry() {
    return sessionExpiry;
  }

  public void setSessionExpiry(Duration sessionExpiry) {
    this.sessionExpiry = sessionExpiry;
  }

  /** {@code runnel.mqtt.keep-alive}: default 30s. */
  public Duration getKeepAlive() {
    return keepAlive;
  }

  public void setKeepAlive(Duration keepAlive) {
    this.keepAlive = keepAlive;
  }

  /** {@code runnel.mqtt.reconnect-initial-delay}: first wait before reconnecting (default 1s). */
  public Duration getReconnectInitialDelay() {
    return reconnectInitialDelay;
  }

  public void setReconnectInitialDelay(Duration reconnectInitialDelay) {
    this.reconnectInitialDelay = reconnectInitialDelay;
  }

  /** {@code runnel.mqtt.reconnect-max-delay}: the wait doubles up to this (default 30s). */
  public Duration getReconnectMaxDelay() {
    return reconnectMaxDelay;
  }

  public void setReconnectMaxDelay(Duration reconnectMaxDelay) {
    this.reconnectMaxDelay = reconnectMaxDelay;
  }

  /**
   * {@code runnel.mqtt.receive-maximum}: the most messages the broker sends before the connector
   * acknowledged them (MQTT 5; default 65535, the protocol's largest). A lower value bounds the
   * memory the connector holds (at most this many payloads), but Mosquitto before 2.0.13 (Debian
   * 12's 2.0.11) overruns it as soon as it queues messages for the session, which makes the client
   * drop the connection; the connector then reconnects with 65535 (see the README).
   */
  public int getReceiveMaximum() {
    return receiveMaximum;
  }

  public void setReceiveMaximum(int receiveMaximum) {
    this.receiveMaximum = receiveMaximum;
  }

  /** {@code runnel.mqtt.max-payload-size}: larger payloads are dead-lettered (default 256 KiB). */
  public int getMaxPayloadSize() {
    return maxPayloadSize;
  }

  public void setMaxPayloadSize(int maxPayloadSize) {
    this.maxPayloadSize = maxPayloadSize;
  }

  /** {@code runnel.mqtt.dead-letter-topic}: where bad payloads go (default {@code mqtt.dlq}). */
  public String getDeadLetterTopic() {
    return deadLetterTopic;
  }

  public void setDeadLetterTopic(String deadLetterTopic) {
    this.deadLetterTopic = deadLetterTopic;
  }

  /**
   * {@code runnel.mqtt.kafka-timeout}: how long a message may wait for Kafka before the connector
   * gives up on it, drops the MQTT connection unacknowledged (the broker keeps the messages) and
   * reconnects once Kafka answers (default 30s).
   */
  public Duration getKafkaTimeout() {
    return kafkaTimeout;
  }

  public void setKafkaTimeout(Duration kafkaTimeout) {
    this.kafkaTimeout = kafkaTimeout;
  }
}
