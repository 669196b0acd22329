package io.runnel.support;

import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.ExecutableMethod;
import io.runnel.function.ConcurrencyPolicy;
import io.runnel.function.Ordering;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.avro.Schema;

/**
 * One function as it is to run, checked: its handler method and every setting, the {@code
 * EventFunction} attribute's value with {@code runnel.functions.<name>.*} applied. Built by {@link
 * FunctionDescriptors}; the runtime runs it and the HTTP gateway routes to it, so both follow the
 * same configuration.
 *
 * @param minConcurrency the floor of an adaptive limit, at most {@code maxConcurrency}
 * @param outputTopic where returned values go, or null
 * @param deadLetterTopic the configured dead-letter topic, or null for {@code <input-topic>.dlq}
 * @param readerSchema the schema records are resolved to: the generated class's, the declared one
 *     of a {@code GenericRecord} function, or null when such a function reads the writer's schema
 * @param eventType the generated class or {@code GenericRecord}
 * @param scaling the replicas its lag calls for
 * @param stores the names of its keyed stores
 * @param globalTables the topics it reads as global tables
 */
public record FunctionDescriptor(
    String name,
    List<String> topics,
    String group,
    String outputTopic,
    String deadLetterTopic,
    Ordering ordering,
    int maxConcurrency,
    ConcurrencyPolicy concurrencyPolicy,
    int minConcurrency,
    double latencyTolerance,
    int maxBufferedRecords,
    long timeoutMs,
    RetryPolicy retryPolicy,
    List<Long> retryTopicDelaysMs,
    boolean exactlyOnce,
    Schema readerSchema,
    FunctionShape shape,
    Class<?> eventType,
    BeanDefinition<?> bean,
    ExecutableMethod<Object, Object> method,
    FunctionScaling scaling,
    List<String> stores,
    List<String> globalTables) {

  /** The dead-letter topic for records read from {@code inputTopic}. */
  public String deadLetterTopicFor(String inputTopic) {
    return deadLetterTopic != null ? deadLetterTopic : inputTopic + ".dlq";
  }

  /** The compacted topic that backs keyed store {@code store}. */
  public String changelogTopicOf(String store) {
    return group + "-" + store + "-changelog";
  }

  /**
   * What the transactional ids of this function start with when it is exactly-once: each instance's
   * is this prefix and its {@code runnel.runtime.instance-id}.
   */
  public String transactionalIdPrefix() {
    return "runnel-" + group + "-";
  }

  /**
   * The non-blocking retry topics of records first read from {@code inputTopic}, by level: {@code
   * <inputTopic>.retry.<n>}, one per {@code retryTopicDelaysMs}; empty when there are none.
   */
  public List<String> retryTopicsFor(String inputTopic) {
    return IntStream.rangeClosed(1, retryTopicDelaysMs.size())
        .mapToObj(level -> retryTopic(inputTopic, level))
        .toList();
  }

  /**
   * The retry topic of level {@code level} (1-based) of records first read from {@code inputTopic}.
   */
  public static String retryTopic(String inputTopic, int level) {
    return inputTopic + ".retry." + level;
  }
}
