package io.runnel.runtime;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/**
 * Per-function overrides of the {@code @EventFunction} attributes, under {@code
 * runnel.functions.<name>.*}. Unset values keep the annotation's.
 */
@EachProperty("runnel.functions")
public class FunctionSettings {

  private final String name;
  private boolean enabled = true;
  @Nullable private List<String> topics;
  @Nullable private String group;
  @Nullable private String outputTopic;
  @Nullable private Integer maxAttempts;
  @Nullable private Long retryBackoffMs;
  @Nullable private String deadLetterTopic;
  @Nullable private Boolean exactlyOnce;
  @Nullable private List<Long> retryTopicDelaysMs;
  @Nullable private io.runnel.function.Ordering ordering;
  @Nullable private Integer maxConcurrency;
  @Nullable private Integer maxBufferedRecords;
  @Nullable private Long timeoutMs;
  @Nullable private Double retryMultiplier;
  @Nullable private Long maxRetryBackoffMs;
  @Nullable private Double retryJitter;
  @Nullable private List<String> retryOn;
  @Nullable private List<String> noRetryOn;

  public FunctionSettings(@Parameter String name) {
    this.name = name;
  }

  /** The function these settings are for. */
  public String getName() {
    return name;
  }

  /** {@code enabled}: false keeps the function from consuming. */
  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  @Nullable
  public List<String> getTopics() {
    return topics;
  }

  public void setTopics(@Nullable List<String> topics) {
    this.topics = topics;
  }

  @Nullable
  public String getGroup() {
    return group;
  }

  public void setGroup(@Nullable String group) {
    this.group = group;
  }

  @Nullable
  public String getOutputTopic() {
    return outputTopic;
  }

  public void setOutputTopic(@Nullable String outputTopic) {
    this.outputTopic = outputTopic;
  }

  @Nullable
  public Integer getMaxAttempts() {
    return maxAttempts;
  }

  public void setMaxAttempts(@Nullable Integer maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  @Nullable
  public Long getRetryBackoffMs() {
    return retryBackoffMs;
  }

  public void setRetryBackoffMs(@Nullable Long retryBackoffMs) {
    this.retryBackoffMs = retryBackoffMs;
  }

  @Nullable
  public String getDeadLetterTopic() {
    return deadLetterTopic;
  }

  public void setDeadLetterTopic(@Nullable String deadLetterTopic) {
    this.deadLetterTopic = deadLetterTopic;
  }

  @Nullable
  public io.runnel.function.Ordering getOrdering() {
    return ordering;
  }

  public void setOrdering(@Nullable io.runnel.function.Ordering ordering) {
    this.ordering = ordering;
  }

  @Nullable
  public Integer getMaxConcurrency() {
    return maxConcurrency;
  }

  public void setMaxConcurrency(@Nullable Integer maxConcurrency) {
    this.maxConcurrency = maxConcurrency;
  }

  @Nullable
  public Integer getMaxBufferedRecords() {
    return maxBufferedRecords;
  }

  public void setMaxBufferedRecords(@Nullable Integer maxBufferedRecords) {
    this.maxBufferedRecords = maxBufferedRecords;
  }

  @Nullable
  public Long getTimeoutMs() {
    return timeoutMs;
  }

  public void setTimeoutMs(@Nullable Long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  @Nullable
  public Double getRetryMultiplier() {
    return retryMultiplier;
  }

  public void setRetryMultiplier(@Nullable Double retryMultiplier) {
    this.retryMultiplier = retryMultiplier;
  }

  @Nullable
  public Long getMaxRetryBackoffMs() {
    return maxRetryBackoffMs;
  }

  public void setMaxRetryBackoffMs(@Nullable Long maxRetryBackoffMs) {
    this.maxRetryBackoffMs = maxRetryBackoffMs;
  }

  @Nullable
  public Double getRetryJitter() {
    return retryJitter;
  }

  public void setRetryJitter(@Nullable Double retryJitter) {
    this.retryJitter = retryJitter;
  }

  @Nullable
  public List<String> getRetryOn() {
    return retryOn;
  }

  public void setRetryOn(@Nullable List<String> retryOn) {
    this.retryOn = retryOn;
  }

  @Nullable
  public List<String> getNoRetryOn() {
    return noRetryOn;
  }

  public void setNoRetryOn(@Nullable List<String> noRetryOn) {
    this.noRetryOn = noRetryOn;
  }

  @Nullable
  public Boolean getExactlyOnce() {
    return exactlyOnce;
  }

  public void setExactlyOnce(@Nullable Boolean exactlyOnce) {
    this.exactlyOnce = exactlyOnce;
  }

  @Nullable
  public List<Long> getRetryTopicDelaysMs() {
    return retryTopicDelaysMs;
  }

  public void setRetryTopicDelaysMs(@Nullable List<Long> retryTopicDelaysMs) {
    this.retryTopicDelaysMs = retryTopicDelaysMs;
  }
}
