package io.runnel.streams;

import io.micronaut.context.annotation.Executable;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a Micronaut bean that builds a Kafka Streams topology: {@code void
 * build(StreamsBuilder builder)}. At start-up Runnel calls it with a new {@code StreamsBuilder} and
 * runs what it built as a Kafka Streams application of its own, with {@code application.id} {@code
 * runnel-<name>}, the cluster of {@code runnel.kafka.*}, dead-letter topics for records that cannot
 * be decoded or written, its metrics in {@code /prometheus}, an entry {@code streams-<name>} in
 * {@code /health}, and a bounded close when the application stops.
 *
 * <p>Any Kafka Streams property can be set under {@code runnel.streams.<name>.*} (for example
 * {@code runnel.streams.device-stats.num.stream.threads: 2}); values are read through {@link
 * AvroSerdes}, injected into the bean.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Executable(processOnStartup = true)
public @interface StreamsTopology {

  /**
   * The topology's name, in kebab-case: the key of its settings ({@code runnel.streams.<name>}),
   * part of its default {@code application.id} ({@code runnel-<name>}) and thus of its consumer
   * group, internal topics and state directory. Renaming a topology starts it afresh.
   */
  String name();
}
