package io.runnel.function;

/**
 * The headers of a request that expects a reply. When a record carries {@link #REPLY_TOPIC}, what
 * the function returns is published there (as well as to its {@code outputTopic}, if it has one)
 * with the request's {@link #CORRELATION_ID}, so the waiting caller can match it.
 */
public final class RequestReply {

  /** The topic to send the reply to. */
  public static final String REPLY_TOPIC = "runnel.reply.topic";

  /** Identifies the request; copied onto the reply. */
  public static final String CORRELATION_ID = "runnel.correlation.id";

  private RequestReply() {}
}
