package io.runnel.connectors.http;

import io.micronaut.context.annotation.Executable;
import io.runnel.function.EventFunction;
import io.runnel.function.RunnelHeaders;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exposes an {@link EventFunction} through the HTTP gateway (this module, when it runs in the same
 * application): a request to {@link #path()} becomes an event of the method's parameter type on the
 * function's first topic. The same route can instead be configured under {@code
 * runnel.http.routes}, which is how a gateway running on its own learns its routes.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Executable(processOnStartup = true)
public @interface HttpTrigger {

  /** The path, a URI template such as {@code /readings} or {@code /devices/{deviceId}/readings}. */
  String path();

  /** The HTTP method: POST, PUT or PATCH. */
  String method() default "POST";

  /**
   * Where the record key comes from: {@code body.<field>} (a top-level JSON field), {@code
   * path.<variable>} or {@code header.<name>}; empty for no key.
   */
  String key() default "";

  /** Whether the caller gets 202 once the event is stored, or the function's reply. */
  Mode mode() default Mode.ACCEPT;

  /**
   * The roles (from a JWT's {@code roles} claim or an API key's configured roles) allowed to call;
   * empty lets anyone call, including anonymous callers.
   */
  String[] roles() default {};

  /** How long a request-reply call waits for the reply before answering 504. */
  long replyTimeoutMs() default 10_000;

  /** How the gateway answers. */
  enum Mode {
    /** 202 Accepted with the record's topic, partition and offset, once Kafka stored it. */
    ACCEPT,
    /**
     * The function's return value as JSON: the request carries the {@link
     * RunnelHeaders#REPLY_TOPIC} and {@link RunnelHeaders#CORRELATION_ID} headers, and the runtime
     * sends what the function returns to that reply topic. Give the function no {@code outputTopic}
     * when it only answers requests.
     */
    REQUEST_REPLY
  }
}
