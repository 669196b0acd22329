package io.runnel.connectors.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.convert.format.ReadableBytes;
import java.time.Duration;

/**
 * The HTTP gateway, under {@code runnel.http}: limits and defaults shared by all routes. Routes are
 * {@link HttpRouteSettings} ({@code runnel.http.routes.<name>.*}) or {@code @HttpTrigger} methods;
 * API keys are {@link ApiKeySettings} ({@code runnel.http.api-keys.<name>.*}). Kafka and the
 * registry come from {@code runnel.kafka} and {@code runnel.schema-registry}.
 */
@ConfigurationProperties("runnel.http")
public class HttpGatewaySettings {

  private boolean enabled = true;
  private long maxBodySize = 1024 * 1024;
  private int maxBatchItems = 1000;
  private Duration produceTimeout = Duration.ofSeconds(5);
  private String replyTopic;
  private Duration idempotencyWindow = Duration.ofHours(1);
  private long idempotencyMaxKeys = 100_000;
  private int rateLimitPerSecond;
  private int rateLimitBurst;
  private String apiKeyHeader = "X-API-Key";

  /** {@code runnel.http.enabled}: serve the routes (default true when the module is present). */
  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** {@code runnel.http.max-body-size}: larger bodies get 413 (default 1MB, i.e. 1 MiB). */
  public long getMaxBodySize() {
    return maxBodySize;
  }

  public void setMaxBodySize(@ReadableBytes long maxBodySize) {
    this.maxBodySize = maxBodySize;
  }

  /** {@code runnel.http.max-batch-items}: a batch with more items gets 413 (default 1,000). */
  public int getMaxBatchItems() {
    return maxBatchItems;
  }

  public void setMaxBatchItems(int maxBatchItems) {
    this.maxBatchItems = maxBatchItems;
  }

  /**
   * {@code runnel.http.produce-timeout}: how long a request waits for Kafka to store its event
   * before it gets 503 (default 5s); the producer gives up on the record by then too.
   */
  public Duration getProduceTimeout() {
    return produceTimeout;
  }

  public void setProduceTimeout(Duration produceTimeout) {
    this.produceTimeout = produceTimeout;
  }

  /**
   * {@code runnel.http.reply-topic}: where functions send replies for this gateway instance
   * (default {@code runnel-http-replies-<runnel.runtime.instance-id>}); created when missing.
   */
  public String getReplyTopic() {
    return replyTopic;
  }

  public void setReplyTopic(String replyTopic) {
    this.replyTopic = replyTopic;
  }

  /**
   * {@code runnel.http.idempotency-window}: how long an {@code Idempotency-Key} is remembered
   * (default 1h).
   */
  public Duration getIdempotencyWindow() {
    return idempotencyWindow;
  }

  public void setIdempotencyWindow(Duration idempotencyWindow) {
    this.idempotencyWindow = idempotencyWindow;
  }

  /**
   * {@code runnel.http.idempotency-max-keys}: at most this many keys are remembered, the oldest
   * forgotten first (default 100,000).
   */
  public long getIdempotencyMaxKeys() {
    return idempotencyMaxKeys;
  }

  public void setIdempotencyMaxKeys(long idempotencyMaxKeys) {
    this.idempotencyMaxKeys = idempotencyMaxKeys;
  }

  /**
   * {@code runnel.http.rate-limit-per-second}: requests per second allowed to each principal (an
   * API key, a JWT subject, or an anonymous caller's address); 0, the default, for no limit.
   */
  public int getRateLimitPerSecond() {
    return rateLimitPerSecond;
  }

  public void setRateLimitPerSecond(int rateLimitPerSecond) {
    this.rateLimitPerSecond = rateLimitPerSecond;
  }

  /**
   * {@code runnel.http.rate-limit-burst}: how many requests a principal may make at once above the
   * rate (default: one second's worth).
   */
  public int getRateLimitBurst() {
    return rateLimitBurst > 0 ? rateLimitBurst : rateLimitPerSecond;
  }

  public void setRateLimitBurst(int rateLimitBurst) {
    this.rateLimitBurst = rateLimitBurst;
  }

  /** {@code runnel.http.api-key-header}: the header carrying an API key (default X-API-Key). */
  public String getApiKeyHeader() {
    return apiKeyHeader;
  }

  public void setApiKeyHeader(String apiKeyHeader) {
    this.apiKeyHeader = apiKeyHeader;
  }

  /** Fails start-up with the name of the setting when one is out of range. */
  public void validate() {
    require(maxBodySize > 0, "runnel.http.max-body-size must be positive, was " + maxBodySize);
    require(
        maxBatchItems > 0, "runnel.http.max-batch-items must be positive, was " + maxBatchItems);
    require(
        produceTimeout.toMillis() >= 100,
        "runnel.http.produce-timeout must be at least 100ms, was " + produceTimeout);
    require(
        idempotencyWindow.isPositive(),
        "runnel.http.idempotency-window must be positive, was " + idempotencyWindow);
    require(
        idempotencyMaxKeys > 0,
        "runnel.http.idempotency-max-keys must be positive, was " + idempotencyMaxKeys);
    require(
        rateLimitPerSecond >= 0,
        "runnel.http.rate-limit-per-second must not be negative, was " + rateLimitPerSecond);
    require(apiKeyHeader != null && !apiKeyHeader.isBlank(), "runnel.http.api-key-header is blank");
  }

  static void require(boolean condition, String message) {
    if (!condition) {
      throw new ConfigurationException(message);
    }
  }
}
