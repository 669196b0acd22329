package io.runnel.runtime.internals;

import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.type.Argument;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.ExecutableMethod;
import io.runnel.function.EventContext;
import io.runnel.function.EventFunction;
import io.runnel.function.Ordering;
import io.runnel.function.RunnelHeaders;
import io.runnel.runtime.FunctionSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One function as it will run: the handler method with its shape and event type, and its settings
 * (the annotation's attributes with {@code runnel.functions.<name>.*} applied), checked.
 */
record FunctionDefinition(
    String name,
    List<String> topics,
    String group,
    String outputTopic,
    String deadLetterTopic,
    Ordering ordering,
    int maxConcurrency,
    int maxBufferedRecords,
    long timeoutMs,
    RetryPolicy retryPolicy,
    boolean exactlyOnce,
    List<Long> retryTopicDelaysMs,
    FunctionShape shape,
    Class<?> eventType,
    BeanDefinition<?> bean,
    ExecutableMethod<Object, Object> method) {

  private static final Logger LOG = LoggerFactory.getLogger(FunctionDefinition.class);

  /** The function's name: the annotation's, or the bean class name in kebab-case. */
  static String nameOf(BeanDefinition<?> bean, ExecutableMethod<?, ?> method) {
    return method
        .stringValue(EventFunction.class, "name")
        .filter(s -> !s.isBlank())
        .orElseGet(
            () ->
                bean.getBeanType()
                    .getSimpleName()
                    .replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                    .toLowerCase(Locale.ROOT));
  }

  /**
   * Reads the annotation, applies {@code overrides} (may be null) and checks the result, naming the
   * method or the setting that is wrong.
   */
  @SuppressWarnings("unchecked")
  static FunctionDefinition of(
      BeanDefinition<?> bean, ExecutableMethod<?, ?> method, FunctionSettings overrides) {
    String where = "@EventFunction " + bean.getBeanType().getName() + "#" + method.getMethodName();
    String name = nameOf(bean, method);
    String prefix = "runnel.functions." + name + ".";
    FunctionSettings settings = overrides != null ? overrides : new FunctionSettings(name);
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
          where
              + " has an unsupported signature: expected handle(T), handle(T, EventContext) or handle(List<T>)");
    }
    if (!SpecificRecord.class.isAssignableFrom(eventType) && eventType != GenericRecord.class) {
      throw new ConfigurationException(
          where
              + " takes "
              + eventType.getName()
              + ": the event type must be a generated Avro SpecificRecord class or GenericRecord");
    }
    if (!method.getReturnType().isVoid() && shape == FunctionShape.BATCH) {
      throw new ConfigurationException(where + " is a batch function and must return void");
    }
    List<String> topics =
        settings.getTopics() != null
            ? List.copyOf(settings.getTopics())
            : List.of(method.stringValues(EventFunction.class, "topics"));
    String outputTopic =
        pick(
            settings.getOutputTopic(),
            method.stringValue(EventFunction.class, "outputTopic").orElse(""));
    RetryPolicy retryPolicy =
        new RetryPolicy(
            pick(settings.getMaxAttempts(), attribute(method, "maxAttempts", Integer.class)),
            pick(settings.getRetryBackoffMs(), attribute(method, "retryBackoffMs", Long.class)),
            pick(settings.getRetryMultiplier(), attribute(method, "retryMultiplier", Double.class)),
            pick(
                settings.getMaxRetryBackoffMs(),
                attribute(method, "maxRetryBackoffMs", Long.class)),
            pick(settings.getRetryJitter(), attribute(method, "retryJitter", Double.class)),
            exceptionTypes(settings.getRetryOn(), method, "retryOn", prefix + "retry-on"),
            exceptionTypes(settings.getNoRetryOn(), method, "noRetryOn", prefix + "no-retry-on"));
    FunctionDefinition definition =
        new FunctionDefinition(
            name,
            topics,
            pick(
                settings.getGroup(),
                method
                    .stringValue(EventFunction.class, "group")
                    .filter(s -> !s.isBlank())
                    .orElse("runnel-" + name)),
            outputTopic.isBlank() ? null : outputTopic,
            blankToNull(
                pick(
                    settings.getDeadLetterTopic(),
                    method.stringValue(EventFunction.class, "deadLetterTopic").orElse(""))),
            pick(settings.getOrdering(), attribute(method, "ordering", Ordering.class)),
            pick(settings.getMaxConcurrency(), attribute(method, "maxConcurrency", Integer.class)),
            pick(
                settings.getMaxBufferedRecords(),
                attribute(method, "maxBufferedRecords", Integer.class)),
            pick(settings.getTimeoutMs(), attribute(method, "timeoutMs", Long.class)),
            retryPolicy,
            pick(settings.getExactlyOnce(), attribute(method, "exactlyOnce", Boolean.class)),
            retryTopicDelays(settings, method),
            shape,
            eventType,
            bean,
            (ExecutableMethod<Object, Object>) method);
    if (!method.getReturnType().isVoid() && definition.outputTopic() == null) {
      // Request-reply: the result goes only where the request's header says (RecordEventContext).
      LOG.info(
          "Function {} returns a value but has no output topic: its results go only to the topic"
              + " a record names in its {} header; set {}output-topic to publish every result",
          name,
          RunnelHeaders.REPLY_TOPIC,
          prefix);
    }
    return definition.validated(prefix);
  }

  private FunctionDefinition validated(String prefix) {
    require(
        !topics.isEmpty() && topics.stream().noneMatch(String::isBlank),
        prefix + "topics must name at least one topic");
    require(
        retryPolicy.maxAttempts() >= 1,
        prefix + "max-attempts must be at least 1, was " + retryPolicy.maxAttempts());
    require(
        retryPolicy.initialBackoffMs() >= 0,
        prefix + "retry-backoff-ms must not be negative, was " + retryPolicy.initialBackoffMs());
    require(
        retryPolicy.multiplier() >= 1,
        prefix + "retry-multiplier must be at least 1, was " + retryPolicy.multiplier());
    require(
        retryPolicy.maxBackoffMs() >= 0,
        prefix + "max-retry-backoff-ms must not be negative, was " + retryPolicy.maxBackoffMs());
    require(
        retryPolicy.jitter() >= 0 && retryPolicy.jitter() < 1,
        prefix + "retry-jitter must be in [0, 1), was " + retryPolicy.jitter());
    require(
        maxConcurrency >= 1, prefix + "max-concurrency must be at least 1, was " + maxConcurrency);
    require(
        maxBufferedRecords >= 1,
        prefix + "max-buffered-records must be at least 1, was " + maxBufferedRecords);
    require(
        timeoutMs >= 0, prefix + "timeout-ms must not be negative (0 for none), was " + timeoutMs);
    return this;
  }

  /** The input topics and, when retry topics are configured, their retry topics. */
  List<String> subscribedTopics() {
    List<String> subscribed = new ArrayList<>(topics);
    for (String topic : topics) {
      for (int level = 1; level <= retryTopicDelaysMs.size(); level++) {
        subscribed.add(retryTopic(topic, level));
      }
    }
    return subscribed;
  }

  /** The retry topic of {@code originalTopic} for retry number {@code level} (1-based). */
  static String retryTopic(String originalTopic, int level) {
    return originalTopic + ".retry." + level;
  }

  private static List<Long> retryTopicDelays(
      FunctionSettings settings, ExecutableMethod<?, ?> method) {
    if (settings.getRetryTopicDelaysMs() != null) {
      return List.copyOf(settings.getRetryTopicDelaysMs());
    }
    long[] delays =
        method
            .getValue(EventFunction.class, "retryTopicDelaysMs", long[].class)
            .orElse(new long[0]);
    return java.util.Arrays.stream(delays).boxed().toList();
  }

  /** The dead-letter topic for records read from {@code inputTopic}. */
  String deadLetterTopicFor(String inputTopic) {
    return deadLetterTopic != null ? deadLetterTopic : inputTopic + ".dlq";
  }

  /**
   * An annotation attribute as written, or its default as declared in {@link EventFunction}. A
   * function compiled against an older Runnel has no metadata for attributes added since; their
   * defaults are read from the annotation type itself.
   */
  private static <T> T attribute(ExecutableMethod<?, ?> method, String member, Class<T> type) {
    return method
        .getValue(EventFunction.class, member, type)
        .or(() -> method.getDefaultValue(EventFunction.class, member, type))
        .orElseGet(() -> declaredDefault(member, type));
  }

  private static <T> T declaredDefault(String member, Class<T> type) {
    try {
      return type.cast(EventFunction.class.getMethod(member).getDefaultValue());
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("@EventFunction has no attribute " + member, e);
    }
  }

  private static <T> T pick(T override, T annotated) {
    return override != null ? override : annotated;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new ConfigurationException(message);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Class<? extends Throwable>> exceptionTypes(
      List<String> configured, ExecutableMethod<?, ?> method, String attribute, String key) {
    if (configured == null) {
      List<Class<? extends Throwable>> annotated = new ArrayList<>();
      for (Class<?> type : method.classValues(EventFunction.class, attribute)) {
        annotated.add((Class<? extends Throwable>) type);
      }
      return List.copyOf(annotated);
    }
    List<Class<? extends Throwable>> types = new ArrayList<>();
    for (String className : configured) {
      Class<?> type;
      try {
        type = Class.forName(className.trim(), false, method.getDeclaringType().getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new ConfigurationException(
            key + " names " + className + ", which is not on the classpath");
      }
      if (!Throwable.class.isAssignableFrom(type)) {
        throw new ConfigurationException(
            key + " names " + className + ", which is not an exception type");
      }
      types.add((Class<? extends Throwable>) type);
    }
    return List.copyOf(types);
  }
}
