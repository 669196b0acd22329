package io.runnel.support;

import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.context.processor.ExecutableMethodProcessor;
import io.micronaut.core.naming.NameUtils;
import io.micronaut.core.type.Argument;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.ExecutableMethod;
import io.runnel.function.ConcurrencyPolicy;
import io.runnel.function.EventContext;
import io.runnel.function.EventFunction;
import io.runnel.function.Ordering;
import io.runnel.function.RunnelHeaders;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the {@code @EventFunction} methods in Micronaut's compile-time bean metadata (no classpath
 * scanning, no reflection) and describes each as a {@link FunctionDescriptor}. A setting is the
 * annotation attribute, overridable under {@code runnel.functions.<name>.<attribute in
 * kebab-case>}; a value that is wrong fails start-up naming that key.
 */
@Singleton
public final class FunctionDescriptors implements ExecutableMethodProcessor<EventFunction> {

  private static final Logger LOG = LoggerFactory.getLogger(FunctionDescriptors.class);

  private static final String PREFIX = "runnel.functions.";
  // Settings that are configuration only: there is no point in disabling in code, and replicas
  // are the deployment's business.
  private static final String ENABLED = "enabled";
  private static final String TARGET_LAG = "scaling.target-lag";
  private static final String MIN_REPLICAS = "scaling.min-replicas";
  private static final String MAX_REPLICAS = "scaling.max-replicas";

  private record Found(BeanDefinition<?> bean, ExecutableMethod<?, ?> method) {}

  private final Environment environment;
  private final List<Found> found = new CopyOnWriteArrayList<>();

  FunctionDescriptors(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void process(BeanDefinition<?> bean, ExecutableMethod<?, ?> method) {
    found.add(new Found(bean, method));
  }

  /**
   * The keys a function can be configured with, the parts after {@code runnel.functions.<name>.}.
   */
  public static Set<String> settingKeys() {
    Set<String> keys = new TreeSet<>();
    keys.addAll(List.of(ENABLED, TARGET_LAG, MIN_REPLICAS, MAX_REPLICAS));
    for (Method attribute : EventFunction.class.getDeclaredMethods()) {
      if (!attribute.getName().equals("name")) {
        keys.add(NameUtils.hyphenate(attribute.getName()));
      }
    }
    return keys;
  }

  /** The function's name: the annotation's, or the bean class name in kebab-case. */
  public static String nameOf(BeanDefinition<?> bean, ExecutableMethod<?, ?> method) {
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
   * Every function not disabled by {@code runnel.functions.<name>.enabled}, described. Fails when
   * two functions share a name, when {@code runnel.functions.<name>} names no function, or when a
   * function's settings are wrong.
   */
  public List<FunctionDescriptor> enabled() {
    Map<String, Found> byName = new LinkedHashMap<>();
    for (Found function : found) {
      Found clash = byName.put(nameOf(function.bean(), function.method()), function);
      if (clash != null) {
        throw new ConfigurationException(
            "Two @EventFunction methods are named '"
                + nameOf(function.bean(), function.method())
                + "' ("
                + clash.bean().getBeanType().getName()
                + " and "
                + function.bean().getBeanType().getName()
                + "): give one of them another name");
      }
    }
    for (String name : environment.getPropertyEntries(PREFIX.substring(0, PREFIX.length() - 1))) {
      if (!byName.containsKey(name)) {
        throw new ConfigurationException(
            PREFIX + name + " configures no known function; the functions are " + byName.keySet());
      }
    }
    List<FunctionDescriptor> enabled = new ArrayList<>();
    for (Map.Entry<String, Found> function : byName.entrySet()) {
      Settings settings = new Settings(function.getValue().method(), function.getKey());
      if (settings.configured(ENABLED, Argument.BOOLEAN).orElse(true)) {
        enabled.add(describe(function.getValue().bean(), function.getValue().method()));
      }
    }
    return enabled;
  }

  /**
   * Describes one {@code @EventFunction} method, enabled or not.
   *
   * @throws ConfigurationException when the method is no event function or a setting is wrong
   */
  @SuppressWarnings("unchecked")
  public FunctionDescriptor describe(BeanDefinition<?> bean, ExecutableMethod<?, ?> method) {
    String where = "@EventFunction " + bean.getBeanType().getName() + "#" + method.getMethodName();
    if (!method.hasAnnotation(EventFunction.class)) {
      throw new ConfigurationException(
          bean.getBeanType().getName()
              + "#"
              + method.getMethodName()
              + " is not an @EventFunction");
    }
    String name = nameOf(bean, method);
    Settings settings = new Settings(method, name);
    Handler handler = handler(method, where);
    RetryPolicy retryPolicy =
        new RetryPolicy(
            settings.value("maxAttempts", Integer.class),
            settings.value("retryBackoffMs", Long.class),
            settings.value("retryMultiplier", Double.class),
            settings.value("maxRetryBackoffMs", Long.class),
            settings.value("retryJitter", Double.class),
            settings.exceptionTypes("retryOn"),
            settings.exceptionTypes("noRetryOn"));
    String group = settings.value("group", String.class);
    int maxConcurrency = settings.value("maxConcurrency", Integer.class);
    int minConcurrency = settings.value("minConcurrency", Integer.class);
    // Checked before it is capped at max-concurrency, so that a wrong value is named as written.
    require(
        minConcurrency >= 1,
        settings.prefix + "min-concurrency must be at least 1, was " + minConcurrency);
    FunctionDescriptor function =
        new FunctionDescriptor(
            name,
            settings.list(
                "topics",
                String.class,
                () -> List.of(method.stringValues(EventFunction.class, "topics"))),
            group.isBlank() ? "runnel-" + name : group,
            blankToNull(settings.value("outputTopic", String.class)),
            blankToNull(settings.value("deadLetterTopic", String.class)),
            settings.value("ordering", Ordering.class),
            maxConcurrency,
            settings.value("concurrencyPolicy", ConcurrencyPolicy.class),
            Math.min(minConcurrency, maxConcurrency),
            settings.value("latencyTolerance", Double.class),
            settings.value("maxBufferedRecords", Integer.class),
            settings.value("timeoutMs", Long.class),
            retryPolicy,
            settings.list(
                "retryTopicDelaysMs",
                Long.class,
                () ->
                    Arrays.stream(
                            method
                                .getValue(EventFunction.class, "retryTopicDelaysMs", long[].class)
                                .orElse(new long[0]))
                        .boxed()
                        .toList()),
            settings.value("exactlyOnce", Boolean.class),
            readerSchema(settings, name, handler.eventType(), bean.getBeanType().getClassLoader()),
            handler.shape(),
            handler.eventType(),
            bean,
            (ExecutableMethod<Object, Object>) method,
            scaling(settings),
            settings.list(
                "stores",
                String.class,
                () -> List.of(method.stringValues(EventFunction.class, "stores"))),
            settings.list(
                "globalTables",
                String.class,
                () -> List.of(method.stringValues(EventFunction.class, "globalTables"))));
    check(function, settings.prefix);
    checkState(function, settings.prefix);
    return function;
  }

  private static FunctionScaling scaling(Settings settings) {
    long targetLag =
        settings.configuredAt(TARGET_LAG, Argument.LONG).orElse(FunctionScaling.DEFAULT_TARGET_LAG);
    int minReplicas =
        settings
            .configuredAt(MIN_REPLICAS, Argument.INT)
            .orElse(FunctionScaling.DEFAULT_MIN_REPLICAS);
    Optional<Integer> maxReplicas = settings.configuredAt(MAX_REPLICAS, Argument.INT);
    require(targetLag >= 1, settings.prefix + TARGET_LAG + " must be at least 1, was " + targetLag);
    require(
        minReplicas >= 0,
        settings.prefix + MIN_REPLICAS + " must not be negative, was " + minReplicas);
    maxReplicas.ifPresent(
        max ->
            require(
                max >= Math.max(1, minReplicas),
                settings.prefix
                    + MAX_REPLICAS
                    + " must be at least 1 and at least "
                    + settings.prefix
                    + MIN_REPLICAS
                    + " ("
                    + minReplicas
                    + "), was "
                    + max));
    return new FunctionScaling(
        targetLag, minReplicas, maxReplicas.map(OptionalInt::of).orElseGet(OptionalInt::empty));
  }

  private record Handler(FunctionShape shape, Class<?> eventType) {}

  /** The handler's shape and event type, or why the method cannot be a handler. */
  private static Handler handler(ExecutableMethod<?, ?> method, String where) {
    Argument<?>[] arguments = method.getArguments();
    Handler handler;
    if (arguments.length == 1 && List.class.isAssignableFrom(arguments[0].getType())) {
      handler =
          new Handler(
              FunctionShape.BATCH,
              arguments[0]
                  .getFirstTypeVariable()
                  .<Class<?>>map(Argument::getType)
                  .orElse(Object.class));
    } else if (arguments.length == 1) {
      handler = new Handler(FunctionShape.SINGLE, arguments[0].getType());
    } else if (arguments.length == 2 && arguments[1].getType() == EventContext.class) {
      handler = new Handler(FunctionShape.SINGLE_WITH_CONTEXT, arguments[0].getType());
    } else {
      throw new ConfigurationException(
          where
              + " has an unsupported signature: expected handle(T), handle(T, EventContext) or"
              + " handle(List<T>)");
    }
    Class<?> eventType = handler.eventType();
    require(
        SpecificRecord.class.isAssignableFrom(eventType) || eventType == GenericRecord.class,
        where
            + " takes "
            + eventType.getName()
            + ": the event type must be a generated Avro SpecificRecord class or GenericRecord");
    require(
        method.getReturnType().isVoid() || handler.shape() != FunctionShape.BATCH,
        where + " is a batch function and must return void");
    return handler;
  }

  private static void check(FunctionDescriptor function, String prefix) {
    RetryPolicy retryPolicy = function.retryPolicy();
    require(
        !function.topics().isEmpty() && function.topics().stream().noneMatch(String::isBlank),
        prefix
            + "topics must name at least one topic: set topics on @EventFunction or "
            + prefix
            + "topics");
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
        function.maxConcurrency() >= 1,
        prefix + "max-concurrency must be at least 1, was " + function.maxConcurrency());
    require(
        function.latencyTolerance() > 1,
        prefix + "latency-tolerance must be above 1, was " + function.latencyTolerance());
    require(
        function.maxBufferedRecords() >= 1,
        prefix + "max-buffered-records must be at least 1, was " + function.maxBufferedRecords());
    require(
        function.timeoutMs() >= 0,
        prefix + "timeout-ms must not be negative (0 for none), was " + function.timeoutMs());
    require(
        function.retryTopicDelaysMs().stream().allMatch(delay -> delay >= 0),
        prefix
            + "retry-topic-delays-ms must not be negative, was "
            + function.retryTopicDelaysMs());
    if (!function.method().getReturnType().isVoid() && function.outputTopic() == null) {
      // Request-reply: the result goes only where the request's header says (RecordEventContext).
      LOG.info(
          "Function {} returns a value but has no output topic: its results go only to the topic"
              + " a record names in its {} header; set {}output-topic to publish every result",
          function.name(),
          RunnelHeaders.REPLY_TOPIC,
          prefix);
    }
  }

  private static final Pattern TOPIC_NAME_PART = Pattern.compile("[a-zA-Z0-9._-]+");

  /**
   * Keyed state is safe only where one invocation at a time handles a key, and only one instance
   * holds a key's partition: so not with unordered records, nor with retry topics (whose partitions
   * move between instances independently of the input's), nor across input topics (whose partitions
   * of the same number may be assigned apart).
   */
  private static void checkState(FunctionDescriptor function, String prefix) {
    for (String store : function.stores()) {
      require(
          TOPIC_NAME_PART.matcher(store).matches(),
          prefix
              + "stores: '"
              + store
              + "' is not a valid store name (letters, digits, '.', '_', '-'): it names the topic "
              + function.changelogTopicOf(store));
    }
    for (String table : function.globalTables()) {
      require(
          TOPIC_NAME_PART.matcher(table).matches(),
          prefix + "global-tables: '" + table + "' is not a valid topic name");
    }
    boolean stateful = !function.stores().isEmpty() || !function.globalTables().isEmpty();
    require(
        !stateful || function.shape() == FunctionShape.SINGLE_WITH_CONTEXT,
        prefix
            + "stores and global-tables are read through the EventContext: function "
            + function.name()
            + " must take handle(T, EventContext)");
    if (function.stores().isEmpty()) {
      return;
    }
    String stores = prefix + "stores " + function.stores();
    require(
        function.ordering() != Ordering.UNORDERED,
        stores
            + " need ordering KEY or PARTITION: with UNORDERED two invocations for the same key"
            + " may read and write a value at once");
    require(
        function.topics().size() == 1,
        stores + " need exactly one input topic, was " + function.topics());
    require(
        function.retryTopicDelaysMs().isEmpty(),
        stores + " cannot be used with retry-topic-delays-ms (retry topics break key order)");
  }

  private static Schema readerSchema(
      Settings settings, String name, Class<?> eventType, ClassLoader classLoader) {
    String path = settings.value("readerSchema", String.class);
    String key = settings.prefix + "reader-schema";
    if (eventType != GenericRecord.class) {
      require(
          path.isBlank(),
          key
              + " is for GenericRecord functions; "
              + name
              + " takes "
              + eventType.getName()
              + " and reads as its schema");
      return SpecificData.get().getSchema(eventType);
    }
    if (path.isBlank()) {
      return null;
    }
    try (InputStream in = classLoader.getResourceAsStream(path)) {
      require(in != null, key + " is " + path + ": no such file on the classpath");
      Schema schema = new Schema.Parser().parse(in);
      require(
          schema.getType() == Schema.Type.RECORD,
          key
              + " is "
              + path
              + ": an event schema must be an Avro record, was "
              + schema.getType());
      return schema;
    } catch (IOException | SchemaParseException e) {
      throw new ConfigurationException(
          key + " is " + path + ": not a readable Avro schema (" + e.getMessage() + ")", e);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new ConfigurationException(message);
    }
  }

  /** One function's settings: configuration first, then the annotation. */
  private final class Settings {

    private final ExecutableMethod<?, ?> method;
    private final String prefix;

    Settings(ExecutableMethod<?, ?> method, String name) {
      this.method = method;
      this.prefix = PREFIX + name + ".";
    }

    /** The configured value of the setting for {@code attribute}, if any, converted. */
    <T> Optional<T> configured(String attribute, Argument<T> type) {
      return configuredAt(NameUtils.hyphenate(attribute), type);
    }

    /** The configured value of {@code runnel.functions.<name>.<setting>}, if any, converted. */
    <T> Optional<T> configuredAt(String setting, Argument<T> type) {
      String key = prefix + setting;
      if (!environment.containsProperty(key)) {
        return Optional.empty();
      }
      Optional<T> value = environment.getProperty(key, type);
      if (value.isEmpty()) {
        throw new ConfigurationException(
            key
                + " must be "
                + type.getTypeString(true)
                + ", was '"
                + environment.getProperty(key, Object.class).orElse("")
                + "'");
      }
      return value;
    }

    <T> T value(String attribute, Class<T> type) {
      return configured(attribute, Argument.of(type))
          .orElseGet(
              () -> AnnotationAttributes.value(method, EventFunction.class, attribute, type));
    }

    <T> List<T> list(String attribute, Class<T> type, Supplier<List<T>> annotated) {
      return List.copyOf(configured(attribute, Argument.listOf(type)).orElseGet(annotated));
    }

    @SuppressWarnings("unchecked")
    List<Class<? extends Throwable>> exceptionTypes(String attribute) {
      Optional<List<String>> configured = configured(attribute, Argument.listOf(String.class));
      List<Class<? extends Throwable>> types = new ArrayList<>();
      if (configured.isEmpty()) {
        for (Class<?> type : method.classValues(EventFunction.class, attribute)) {
          types.add((Class<? extends Throwable>) type);
        }
        return List.copyOf(types);
      }
      String key = prefix + NameUtils.hyphenate(attribute);
      for (String className : configured.get()) {
        Class<?> type;
        try {
          type = Class.forName(className.trim(), false, method.getDeclaringType().getClassLoader());
        } catch (ClassNotFoundException e) {
          throw new ConfigurationException(
              key + " names " + className + ", which is not on the classpath");
        }
        require(
            Throwable.class.isAssignableFrom(type),
            key + " names " + className + ", which is not an exception type");
        types.add((Class<? extends Throwable>) type);
      }
      return List.copyOf(types);
    }
  }
}
