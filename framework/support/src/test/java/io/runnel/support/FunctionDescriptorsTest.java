package io.runnel.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.runnel.function.EventFunction;
import io.runnel.function.Ordering;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** A function's settings: the annotation's, overridden by configuration, checked at start-up. */
class FunctionDescriptorsTest {

  @Singleton
  @Requires(property = "runnel.test.suite", value = "descriptors")
  static class AnnotatedFunction {
    @EventFunction(
        name = "annotated",
        topics = "in",
        maxAttempts = 5,
        ordering = Ordering.PARTITION,
        retryTopicDelaysMs = {1_000, 60_000},
        noRetryOn = IllegalArgumentException.class)
    void handle(GenericRecord event) {}
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "descriptors")
  static class TopicsFromConfiguration {
    @EventFunction
    void handle(GenericRecord event) {}
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "descriptors")
  static class WithReaderSchema {
    @EventFunction(name = "versioned", topics = "in", readerSchema = "descriptors/reading.avsc")
    void handle(GenericRecord event) {}
  }

  private static Map<String, FunctionDescriptor> describe(Map<String, Object> configuration) {
    Map<String, Object> properties = new HashMap<>(configuration);
    properties.put("runnel.test.suite", "descriptors");
    properties.putIfAbsent("runnel.functions.topics-from-configuration.topics", "configured");
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      return context.getBean(FunctionDescriptors.class).enabled().stream()
          .collect(Collectors.toMap(FunctionDescriptor::name, Function.identity()));
    }
  }

  @Test
  void theAnnotationsValuesApplyWhereConfigurationSetsNothing() {
    FunctionDescriptor function = describe(Map.of()).get("annotated");

    assertThat(function.topics()).containsExactly("in");
    assertThat(function.group()).isEqualTo("runnel-annotated");
    assertThat(function.ordering()).isEqualTo(Ordering.PARTITION);
    assertThat(function.retryPolicy().maxAttempts()).isEqualTo(5);
    assertThat(function.retryPolicy().noRetryOn()).containsExactly(IllegalArgumentException.class);
    assertThat(function.retryTopicDelaysMs()).containsExactly(1_000L, 60_000L);
    assertThat(function.timeoutMs()).isEqualTo(60_000);
    assertThat(function.outputTopic()).isNull();
    assertThat(function.deadLetterTopicFor("in")).isEqualTo("in.dlq");
  }

  @Test
  void configurationOverridesTheAnnotation() {
    FunctionDescriptor function =
        describe(
                Map.of(
                    "runnel.functions.annotated.topics", List.of("a", "b"),
                    "runnel.functions.annotated.max-attempts", "2",
                    "runnel.functions.annotated.ordering", "UNORDERED",
                    "runnel.functions.annotated.retry-topic-delays-ms", "5",
                    "runnel.functions.annotated.no-retry-on", "java.lang.IllegalStateException",
                    "runnel.functions.annotated.dead-letter-topic", "all.dlq"))
            .get("annotated");

    assertThat(function.topics()).containsExactly("a", "b");
    assertThat(function.retryPolicy().maxAttempts()).isEqualTo(2);
    assertThat(function.ordering()).isEqualTo(Ordering.UNORDERED);
    assertThat(function.retryTopicDelaysMs()).containsExactly(5L);
    assertThat(function.retryPolicy().noRetryOn()).containsExactly(IllegalStateException.class);
    assertThat(function.deadLetterTopicFor("a")).isEqualTo("all.dlq");
  }

  @Test
  void topicsMayComeFromConfigurationAlone() {
    FunctionDescriptor function = describe(Map.of()).get("topics-from-configuration");

    assertThat(function.topics()).containsExactly("configured");
    assertThat(function.group()).isEqualTo("runnel-topics-from-configuration");
  }

  @Test
  void withoutTopicsStartUpFailsNamingTheSetting() {
    assertThatThrownBy(
            () -> describe(Map.of("runnel.functions.topics-from-configuration.topics", "")))
        .hasMessageContaining("runnel.functions.topics-from-configuration.topics must name");
  }

  @Test
  void aValueOfTheWrongTypeFailsNamingTheSetting() {
    assertThatThrownBy(() -> describe(Map.of("runnel.functions.annotated.max-attempts", "many")))
        .hasMessageContaining("runnel.functions.annotated.max-attempts must be")
        .hasMessageContaining("'many'");
    assertThatThrownBy(() -> describe(Map.of("runnel.functions.annotated.retry-jitter", "1.5")))
        .hasMessageContaining("runnel.functions.annotated.retry-jitter must be in [0, 1)");
    assertThatThrownBy(
            () -> describe(Map.of("runnel.functions.annotated.retry-on", "java.lang.Nope")))
        .hasMessageContaining("runnel.functions.annotated.retry-on names java.lang.Nope");
  }

  @Test
  void scalingHasDefaultsAndIsConfigured() {
    assertThat(describe(Map.of()).get("annotated").scaling())
        .isEqualTo(new FunctionScaling(1000, 1, OptionalInt.empty()));
    assertThat(
            describe(
                    Map.of(
                        "runnel.functions.annotated.scaling.target-lag", "50",
                        "runnel.functions.annotated.scaling.min-replicas", "0",
                        "runnel.functions.annotated.scaling.max-replicas", "4"))
                .get("annotated")
                .scaling())
        .isEqualTo(new FunctionScaling(50, 0, OptionalInt.of(4)));
  }

  @Test
  void aScalingSettingOutOfRangeFailsNamingIt() {
    assertThatThrownBy(() -> describe(Map.of("runnel.functions.annotated.scaling.target-lag", "0")))
        .hasMessageContaining("runnel.functions.annotated.scaling.target-lag must be at least 1");
    assertThatThrownBy(
            () -> describe(Map.of("runnel.functions.annotated.scaling.min-replicas", "-1")))
        .hasMessageContaining("runnel.functions.annotated.scaling.min-replicas must not be");
    assertThatThrownBy(
            () ->
                describe(
                    Map.of(
                        "runnel.functions.annotated.scaling.min-replicas", "3",
                        "runnel.functions.annotated.scaling.max-replicas", "2")))
        .hasMessageContaining("runnel.functions.annotated.scaling.max-replicas must be at least");
    assertThatThrownBy(
            () -> describe(Map.of("runnel.functions.annotated.scaling.max-replicas", "some")))
        .hasMessageContaining("runnel.functions.annotated.scaling.max-replicas must be");
  }

  @Test
  void aDisabledFunctionIsNotDescribedAndAnUnknownOneFails() {
    assertThat(describe(Map.of("runnel.functions.annotated.enabled", "false")))
        .doesNotContainKey("annotated")
        .containsKey("versioned");
    assertThatThrownBy(() -> describe(Map.of("runnel.functions.nothing.max-attempts", "2")))
        .hasMessageContaining("runnel.functions.nothing configures no known function");
  }

  @Test
  void aGenericRecordFunctionReadsAsItsDeclaredSchema() {
    Map<String, FunctionDescriptor> functions = describe(Map.of());

    assertThat(functions.get("versioned").readerSchema().getFullName())
        .isEqualTo("io.runnel.support.test.Reading");
    assertThat(functions.get("annotated").readerSchema()).isNull();
    assertThatThrownBy(
            () -> describe(Map.of("runnel.functions.versioned.reader-schema", "nowhere.avsc")))
        .hasMessageContaining(
            "runnel.functions.versioned.reader-schema is nowhere.avsc: no such file");
  }
}
