package io.runnel.runtime.internals;

import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.type.Argument;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.ExecutableMethod;
import io.runnel.function.EventContext;
import io.runnel.function.EventFunction;
import io.runnel.runtime.FunctionSettings;
import java.util.List;
import java.util.Locale;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * One function as it will run: the handler method with its shape and event type, and its settings
 * (annotation attributes with configuration overrides applied).
 */
record FunctionDefinition(
    String name,
    List<String> topics,
    String group,
    String outputTopic,
    int maxAttempts,
    long retryBackoffMs,
    String deadLetterTopic,
    FunctionShape shape,
    Class<?> eventType,
    BeanDefinition<?> bean,
    ExecutableMethod<Object, Object> method) {

  /** Reads the annotation and checks the method's signature, naming the method when it is wrong. */
  @SuppressWarnings("unchecked")
  static FunctionDefinition of(BeanDefinition<?> bean, ExecutableMethod<?, ?> method) {
    String where = bean.getBeanType().getName() + "#" + method.getMethodName();
    Argument<?>[] arguments = method.getArguments();
    FunctionShape shape;
    Class<?> eventType;
    if (arguments.length == 1 && List.class.isAssignableFrom(arguments[0].getType())) {
      shape = FunctionShape.BATCH;
      eventType =
          arguments[0].getFirstTypeVariable().<Class<?>>map(Argument::getType).orElse(Object.class);
    } else if (arguments.length == 1) {
      shape = FunctionShape.SINGLE;
      eventType = arguments[0].getType();
    } else if (arguments.length == 2 && arguments[1].getType() == EventContext.class) {
      shape = FunctionShape.SINGLE_WITH_CONTEXT;
      eventType = arguments[0].getType();
    } else {
      throw new ConfigurationException(
          "@EventFunction "
              + where
              + " has an unsupported signature: expected handle(T), handle(T, EventContext) or handle(List<T>)");
    }
    if (!SpecificRecord.class.isAssignableFrom(eventType) && eventType != GenericRecord.class) {
      throw new ConfigurationException(
          "@EventFunction "
              + where
              + " takes "
              + eventType.getName()
              + ": the event type must be a generated Avro SpecificRecord class or GenericRecord");
    }
    String name =
        method
            .stringValue(EventFunction.class, "name")
            .filter(s -> !s.isBlank())
            .orElse(kebabCase(bean.getBeanType().getSimpleName()));
    boolean returnsValue = !method.getReturnType().isVoid();
    if (returnsValue && shape == FunctionShape.BATCH) {
      throw new ConfigurationException(
          "@EventFunction " + where + " is a batch function and must return void");
    }
    return new FunctionDefinition(
        name,
        List.of(method.stringValues(EventFunction.class, "topics")),
        method
            .stringValue(EventFunction.class, "group")
            .filter(s -> !s.isBlank())
            .orElse("runnel-" + name),
        method
            .stringValue(EventFunction.class, "outputTopic")
            .filter(s -> !s.isBlank())
            .orElse(null),
        method.intValue(EventFunction.class, "maxAttempts").orElse(3),
        method.longValue(EventFunction.class, "retryBackoffMs").orElse(100),
        method
            .stringValue(EventFunction.class, "deadLetterTopic")
            .filter(s -> !s.isBlank())
            .orElse(null),
        shape,
        eventType,
        bean,
        (ExecutableMethod<Object, Object>) method);
  }

  /** Applies {@code runnel.functions.<name>.*} and checks the result, naming the bad setting. */
  FunctionDefinition withOverrides(FunctionSettings settings) {
    String prefix = "runnel.functions." + name + ".";
    FunctionDefinition merged =
        new FunctionDefinition(
            name,
            settings.getTopics() != null ? List.copyOf(settings.getTopics()) : topics,
            settings.getGroup() != null ? settings.getGroup() : group,
            settings.getOutputTopic() != null ? settings.getOutputTopic() : outputTopic,
            settings.getMaxAttempts() != null ? settings.getMaxAttempts() : maxAttempts,
            settings.getRetryBackoffMs() != null ? settings.getRetryBackoffMs() : retryBackoffMs,
            settings.getDeadLetterTopic() != null ? settings.getDeadLetterTopic() : deadLetterTopic,
            shape,
            eventType,
            bean,
            method);
    return merged.validated(prefix);
  }

  /** Checks the settings, naming the key (or annotation attribute) that is wrong. */
  FunctionDefinition validated(String prefix) {
    if (topics.isEmpty() || topics.stream().anyMatch(String::isBlank)) {
      throw new ConfigurationException(
          prefix + "topics must name at least one topic (function " + name + ")");
    }
    if (maxAttempts < 1) {
      throw new ConfigurationException(
          prefix + "max-attempts must be at least 1, was " + maxAttempts);
    }
    if (retryBackoffMs < 0) {
      throw new ConfigurationException(
          prefix + "retry-backoff-ms must not be negative, was " + retryBackoffMs);
    }
    if (!method.getReturnType().isVoid() && outputTopic == null) {
      throw new ConfigurationException(
          prefix
              + "output-topic is not set, but function "
              + name
              + " returns a value: set outputTopic on @EventFunction or in configuration");
    }
    return this;
  }

  /** The dead-letter topic for records read from {@code inputTopic}. */
  String deadLetterTopicFor(String inputTopic) {
    return deadLetterTopic != null ? deadLetterTopic : inputTopic + ".dlq";
  }

  private static String kebabCase(String simpleName) {
    return simpleName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }
}
