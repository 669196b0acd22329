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
}
