package io.runnel.function;

import io.micronaut.context.annotation.Executable;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a Micronaut bean as an event function: Runnel subscribes to {@link #topics()},
 * decodes each record's Avro value through the schema registry and calls the method.
 *
 * <p>Supported signatures, where {@code T} is a generated Avro {@code SpecificRecord} class or
 * {@code GenericRecord}:
 *
 * <ul>
 *   <li>{@code void handle(T event)}
 *   <li>{@code R handle(T event)}: a non-null result is published to {@link #outputTopic()} with
 *       the input record's key; an {@link Output} publishes its value with the headers it carries
 *   <li>{@code void handle(T event, EventContext context)} and {@code R handle(T event,
 *       EventContext context)}: the record's coordinates and an {@link Emitter} for publishing to
 *       any topic
 *   <li>{@code void handle(List<T> events)}: the records of one poll, per partition, in offset
 *       order
 * </ul>
 *
 * <p>Records are handled on virtual threads with up to {@link #maxConcurrency()} invocations at
 * once, keeping the order of records with the same key ({@link #ordering()}). Delivery is
 * at-least-once: an input offset is committed only after the method returned for it and for every
 * record before it in its partition, and every record they emitted was acknowledged by Kafka. A
 * method that keeps throwing after {@link #maxAttempts()} sends the record to the dead-letter
 * topic. Every attribute but {@code name} can be overridden in configuration under {@code
 * runnel.functions.<name>.<attribute in kebab-case>} (such as {@code max-attempts}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Executable(processOnStartup = true)
public @interface EventFunction {

  /**
   * The function's name, used in configuration keys and metrics; defaults to the class name in
   * kebab-case.
   */
  String name() default "";

  /**
   * The topics to consume; may instead come from {@code runnel.functions.<name>.topics}, and one of
   * the two must name at least one.
   */
  String[] topics() default {};

  /**
   * The keyed stores the function uses through {@link EventContext#store}: each is backed by the
   * compacted topic {@code <group>-<store>-changelog} and a copy in memory of each assigned
   * partition, restored from it before the partition's records run. Needs {@link Ordering#KEY} or
   * {@link Ordering#PARTITION}, one input topic, no retry topics and a handler taking an {@link
   * EventContext}.
   */
  String[] stores() default {};

  /**
   * Compacted topics read whole and kept up to date, for read-only lookups of any key through
   * {@link EventContext#globalTable}; each is read to its end before the first record runs.
   */
  String[] globalTables() default {};

  /** The consumer group; defaults to {@code runnel-<name>}. */
  String group() default "";

  /**
   * Where a returned value is published. Without it, a returned value goes only to the topic a
   * record names in its {@code runnel.reply.topic} header (request-reply), which start-up logs.
   */
  String outputTopic() default "";

  /** Which records may run concurrently: by default those with different keys. */
  Ordering ordering() default Ordering.KEY;

  /**
   * How many invocations of this function may run at once in one instance. A record waiting for its
   * retry backoff, or for an unreachable schema registry, does not count.
   */
  int maxConcurrency() default 1000;

  /**
   * Whether the number of invocations at once adapts to the handler's latency between {@link
   * #minConcurrency()} and {@link #maxConcurrency()}, or is always {@link #maxConcurrency()} (the
   * default: adapting cost workload A 15 % of its throughput in the benchmark).
   */
  ConcurrencyPolicy concurrencyPolicy() default ConcurrencyPolicy.FIXED;

  /**
   * The floor of an adaptive limit: it never shrinks below this (nor below {@link
   * #maxConcurrency()} when that is smaller).
   */
  int minConcurrency() default 10;

  /**
   * An adaptive limit shrinks while the fastest invocations of a moment take longer than this many
   * times the fastest ever seen, and grows while they take less; above 1.
   */
  double latencyTolerance() default 1.5;

  /**
   * How many records one instance holds (running, waiting for their key, or finished but not yet
   * committable); above it the consumer pauses its partitions until half of them are done.
   */
  int maxBufferedRecords() default 10_000;

  /** An invocation running longer is interrupted and counts as a failed attempt; 0 for none. */
  long timeoutMs() default 60_000;

  /** How often an invocation is tried before the record goes to the dead-letter topic. */
  int maxAttempts() default 3;

  /** The pause before the first retry. */
  long retryBackoffMs() default 100;

  /** Each further pause is the previous one times this. */
  double retryMultiplier() default 2.0;

  /** No pause is longer than this. */
  long maxRetryBackoffMs() default 30_000;

  /** Each pause varies randomly by up to this fraction, so that retries of many keys spread out. */
  double retryJitter() default 0.2;

  /**
   * Only these exceptions (and subclasses) are retried; empty means all but {@link #noRetryOn()}.
   */
  Class<? extends Throwable>[] retryOn() default {};

  /** These exceptions (and subclasses) send the record to the dead-letter topic at once. */
  Class<? extends Throwable>[] noRetryOn() default {};

  /**
   * Non-blocking retries: when the in-place attempts are used up, the record moves to {@code
   * <topic>.retry.1}, to be tried again after the first delay, then to {@code <topic>.retry.2}
   * after the second, and so on; after the last it goes to the dead-letter topic. Its partition
   * moves on meanwhile. Empty (the default): no retry topics.
   */
  long[] retryTopicDelaysMs() default {};

  /**
   * Exactly-once for Kafka-to-Kafka functions: outputs, dead letters and input offsets are
   * committed in one Kafka transaction, so a crash anywhere yields neither loss nor duplicates in
   * the output topics for {@code read_committed} readers.
   */
  boolean exactlyOnce() default false;

  /** The dead-letter topic; defaults to {@code <input-topic>.dlq}. */
  String deadLetterTopic() default "";

  /**
   * For a {@code GenericRecord} function: an Avro schema file on the classpath (such as {@code
   * schemas/sensor-reading.avsc}) that every record is resolved to, whatever compatible schema it
   * was written with. Empty (the default): records keep their writer's schema. A function taking a
   * generated class always reads as that class's schema.
   */
  String readerSchema() default "";
}
