package io.runnel.connectors.http;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.runnel.support.AnnotationAttributes;
import java.time.Duration;
import java.util.List;

/**
 * One configured route, under {@code runnel.http.routes.<name>}: requests to {@code method} +
 * {@code path} become events of {@code schema} on {@code topic}. Unset values take the defaults of
 * {@link HttpTrigger}, so that a configured route and an annotated one behave alike.
 */
@EachProperty("runnel.http.routes")
public class HttpRouteSettings {

  private final String name;
  private String method =
      AnnotationAttributes.declaredDefault(HttpTrigger.class, "method", String.class);
  private String path;
  private String topic;
  private String schema;
  private String subject;
  private String key = AnnotationAttributes.declaredDefault(HttpTrigger.class, "key", String.class);
  private HttpTrigger.Mode mode =
      AnnotationAttributes.declaredDefault(HttpTrigger.class, "mode", HttpTrigger.Mode.class);
  private List<String> roles = List.of();
  private Duration replyTimeout =
      Duration.ofMillis(
          AnnotationAttributes.declaredDefault(HttpTrigger.class, "replyTimeoutMs", Long.class));

  public HttpRouteSettings(@Parameter String name) {
    this.name = name;
  }

  /** The route's name, the {@code <name>} in {@code runnel.http.routes.<name>}. */
  public String getName() {
    return name;
  }

  /** {@code method}: POST, PUT or PATCH; {@link HttpTrigger#method()} when not set. */
  public String getMethod() {
    return method;
  }

  public void setMethod(String method) {
    this.method = method;
  }

  /** {@code path}: a URI template, e.g. {@code /devices/{deviceId}/readings}; required. */
  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  /** {@code topic}: where the events go; required. */
  public String getTopic() {
    return topic;
  }

  public void setTopic(String topic) {
    this.topic = topic;
  }

  /**
   * {@code schema}: the full name of a generated Avro class on the classpath, e.g. {@code
   * io.runnel.examples.iot.SensorReading}. Give this or {@code subject}.
   */
  public String getSchema() {
    return schema;
  }

  public void setSchema(String schema) {
    this.schema = schema;
  }

  /** {@code subject}: a registry subject whose latest version is the route's schema. */
  public String getSubject() {
    return subject;
  }

  public void setSubject(String subject) {
    this.subject = subject;
  }

  /** {@code key}: {@code body.<field>}, {@code path.<variable>} or {@code header.<name>}. */
  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  /**
   * {@code mode}: ACCEPT (202 once stored) or REQUEST_REPLY; {@link HttpTrigger#mode()} when not
   * set.
   */
  public HttpTrigger.Mode getMode() {
    return mode;
  }

  public void setMode(HttpTrigger.Mode mode) {
    this.mode = mode;
  }

  /** {@code roles}: who may call; empty lets anyone call. */
  public List<String> getRoles() {
    return roles;
  }

  public void setRoles(List<String> roles) {
    this.roles = roles;
  }

  /**
   * {@code reply-timeout}: how long a request-reply call waits before 504; {@link
   * HttpTrigger#replyTimeoutMs()} when not set.
   */
  public Duration getReplyTimeout() {
    return replyTimeout;
  }

  public void setReplyTimeout(Duration replyTimeout) {
    this.replyTimeout = replyTimeout;
  }
}
