package io.runnel.support;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.runnel.registry.SchemaRegistryClient;
import java.net.URI;
import java.time.Duration;

/**
 * Where schemas live, under {@code runnel.schema-registry}: any registry with the Confluent API
 * (Confluent Schema Registry, Apicurio's ccompat API, Karapace, or Runnel's dev registry).
 */
@ConfigurationProperties("runnel.schema-registry")
public class SchemaRegistrySettings {

  private String url;
  private String basicAuthUserInfo;
  private boolean autoRegisterSchemas = true;
  private Duration requestTimeout = Duration.ofSeconds(10);
  private Duration unreachableWait = Duration.ofSeconds(60);

  /** {@code runnel.schema-registry.url}: required; several URLs may be comma-separated. */
  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  /** {@code runnel.schema-registry.basic-auth-user-info}: {@code user:password}, optional. */
  public String getBasicAuthUserInfo() {
    return basicAuthUserInfo;
  }

  public void setBasicAuthUserInfo(String basicAuthUserInfo) {
    this.basicAuthUserInfo = basicAuthUserInfo;
  }

  /**
   * {@code runnel.schema-registry.auto-register-schemas}: register output schemas on first use
   * (default true).
   */
  public boolean isAutoRegisterSchemas() {
    return autoRegisterSchemas;
  }

  public void setAutoRegisterSchemas(boolean autoRegisterSchemas) {
    this.autoRegisterSchemas = autoRegisterSchemas;
  }

  /**
   * {@code runnel.schema-registry.request-timeout}: how long one registry call may take (default
   * 10s).
   */
  public Duration getRequestTimeout() {
    return requestTimeout;
  }

  public void setRequestTimeout(Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
  }

  /**
   * {@code runnel.schema-registry.unreachable-wait}: how long a record whose writer schema is not
   * known yet waits, asking again, while the registry cannot be reached (no answer, or a 5xx)
   * before it goes to the dead-letter topic (default 60s; 0 sends it there at once). Only that
   * record's key waits; records of other keys whose schemas are known go on.
   */
  public Duration getUnreachableWait() {
    return unreachableWait;
  }

  public void setUnreachableWait(Duration unreachableWait) {
    this.unreachableWait = unreachableWait;
  }

  /** A client of the configured registry. */
  public SchemaRegistryClient newClient() {
    return newClient(requestTimeout);
  }

  /** A client of the configured registry whose requests wait {@code requestTimeout} at most. */
  public SchemaRegistryClient newClient(Duration requestTimeout) {
    return new SchemaRegistryClient(url, requestTimeout, basicAuthUserInfo);
  }

  /** Fails start-up with the name of the setting when it is missing or malformed. */
  public void validate() {
    if (url == null || url.isBlank()) {
      throw new ConfigurationException(
          "runnel.schema-registry.url is not set: give the schema registry's URL, e.g. http://localhost:8081 "
              + "(in application.yml or as RUNNEL_SCHEMA_REGISTRY_URL)");
    }
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new ConfigurationException(
          "runnel.schema-registry.request-timeout must be positive, was " + requestTimeout);
    }
    if (unreachableWait == null || unreachableWait.isNegative()) {
      throw new ConfigurationException(
          "runnel.schema-registry.unreachable-wait must not be negative, was " + unreachableWait);
    }
    for (String one : url.split(",")) {
      try {
        URI uri = URI.create(one.trim());
        if (uri.getScheme() == null
            || !uri.getScheme().matches("https?")
            || uri.getHost() == null) {
          throw new IllegalArgumentException("not an http(s) URL with a host");
        }
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(
            "runnel.schema-registry.url has an invalid URL '"
                + one.trim()
                + "': "
                + e.getMessage());
      }
    }
  }
}
