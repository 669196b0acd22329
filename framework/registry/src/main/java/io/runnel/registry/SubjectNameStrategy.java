package io.runnel.registry;

import java.util.Locale;
import org.apache.avro.Schema;

/**
 * How the subject a schema is registered under is derived from the topic and the record, with the
 * same results as Confluent's strategies of the same names.
 */
public enum SubjectNameStrategy {
  /** {@code <topic>-key} / {@code <topic>-value}: one schema lineage per topic (the default). */
  TOPIC_NAME {
    @Override
    public String subject(String topic, boolean isKey, Schema schema) {
      return topic + (isKey ? "-key" : "-value");
    }
  },
  /** The record's full name: one lineage per record type, across topics. */
  RECORD_NAME {
    @Override
    public String subject(String topic, boolean isKey, Schema schema) {
      return schema.getFullName();
    }
  },
  /** {@code <topic>-<record full name>}: several record types on one topic. */
  TOPIC_RECORD_NAME {
    @Override
    public String subject(String topic, boolean isKey, Schema schema) {
      return topic + "-" + schema.getFullName();
    }
  };

  /** The subject for a key or value schema written to {@code topic}. */
  public abstract String subject(String topic, boolean isKey, Schema schema);

  /**
   * Parses a strategy from its enum name, its Confluent class name (for example {@code
   * io.confluent.kafka.serializers.subject.RecordNameStrategy}) or its simple class name.
   */
  public static SubjectNameStrategy parse(String value) {
    String simple = value.substring(value.lastIndexOf('.') + 1).trim();
    return switch (simple.toUpperCase(Locale.ROOT).replace("_", "")) {
      case "TOPICNAME", "TOPICNAMESTRATEGY" -> TOPIC_NAME;
      case "RECORDNAME", "RECORDNAMESTRATEGY" -> RECORD_NAME;
      case "TOPICRECORDNAME", "TOPICRECORDNAMESTRATEGY" -> TOPIC_RECORD_NAME;
      default ->
          throw new IllegalArgumentException(
              "Unknown subject name strategy '"
                  + value
                  + "'; expected TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy");
    };
  }
}
