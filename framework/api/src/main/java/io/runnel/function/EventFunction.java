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
 *       the input record's key
 *   <li>{@code handle(T event, EventContext context)}: the record's coordinates and an {@link
 *       Emitter} for publishing to any topic
 *   <li>{@code void handle(List<T> events)}: the records of one poll, per partition, in offset
 *       order
 * </ul>
 *
 * <p>Delivery is at-least-once: an input offset is committed only after the method returned and
 * every record it emitted was acknowledged by Kafka. A method that keeps throwing after {@link
 * #maxAttempts()} sends the record to the dead-letter topic. Every attribute can be overridden in
 * configuration under {@code runnel.functions.<name>.*}.
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

  /** The topics to consume. */
  String[] topics();

  /** The consumer group; defaults to {@code runnel-<name>}. */
  String group() default "";

  /** Where a returned value is published; required when the method returns a value. */
  String outputTopic() default "";

  /** How often an invocation is tried before the record goes to the dead-letter topic. */
  int maxAttempts() default 3;

  /** The pause before the first retry, doubled before each further one. */
  long retryBackoffMs() default 100;

  /** The dead-letter topic; defaults to {@code <input-topic>.dlq}. */
  String deadLetterTopic() default "";
}
