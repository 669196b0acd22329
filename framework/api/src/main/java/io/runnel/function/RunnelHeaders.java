package io.runnel.function;

/**
 * The record headers Runnel reads and writes, named once for the runtime, the connectors and the
 * {@code runnel} command: the {@code runnel.error.*} reason a dead letter carries (the default
 * header style, documented in the README), and the request-reply pair.
 */
public final class RunnelHeaders {

  /** What every dead-letter header name starts with. */
  public static final String ERROR_PREFIX = "runnel.error.";

  /** The failed exception's class name. */
  public static final String ERROR_EXCEPTION_CLASS = ERROR_PREFIX + "exception.class";

  /** The failed exception's message. */
  public static final String ERROR_EXCEPTION_MESSAGE = ERROR_PREFIX + "exception.message";

  /** The stack trace, trimmed. */
  public static final String ERROR_STACKTRACE = ERROR_PREFIX + "stacktrace";

  /** Where it failed: {@code decode}, {@code invoke}, or a connector's stage. */
  public static final String ERROR_STAGE = ERROR_PREFIX + "stage";

  /** The topic the record was read from (the original topic, not a retry topic). */
  public static final String ERROR_ORIGINAL_TOPIC = ERROR_PREFIX + "original.topic";

  /** The partition the record was read from. */
  public static final String ERROR_ORIGINAL_PARTITION = ERROR_PREFIX + "original.partition";

  /** The record's offset. */
  public static final String ERROR_ORIGINAL_OFFSET = ERROR_PREFIX + "original.offset";

  /** The record's timestamp, milliseconds since the epoch. */
  public static final String ERROR_ORIGINAL_TIMESTAMP = ERROR_PREFIX + "original.timestamp";

  /** The consumer group of the function that failed. */
  public static final String ERROR_CONSUMER_GROUP = ERROR_PREFIX + "consumer.group";

  /** The name of the function that failed. */
  public static final String ERROR_FUNCTION = ERROR_PREFIX + "function";

  /** How often the method was called (0 when decoding failed). */
  public static final String ERROR_ATTEMPTS = ERROR_PREFIX + "attempts";

  /** When it failed, ISO-8601. */
  public static final String ERROR_FAILED_AT = ERROR_PREFIX + "failed.at";

  /** The field of the payload that was wrong, when a connector knows it. */
  public static final String ERROR_FIELD = ERROR_PREFIX + "field";

  /** The topic a connector would have published the record to. */
  public static final String ERROR_TARGET_TOPIC = ERROR_PREFIX + "target.topic";

  /**
   * The topic to send the reply to. When a record carries it, what the function returns is
   * published there (as well as to its {@code outputTopic}, if it has one) with the request's
   * {@link #CORRELATION_ID}, so the waiting caller can match it.
   */
  public static final String REPLY_TOPIC = "runnel.reply.topic";

  /** Identifies a request; copied onto the reply. */
  public static final String CORRELATION_ID = "runnel.correlation.id";

  private RunnelHeaders() {}
}
