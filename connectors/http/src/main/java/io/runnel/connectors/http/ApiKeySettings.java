package io.runnel.connectors.http;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.util.List;

/**
 * One API key, under {@code runnel.http.api-keys.<name>}: only its SHA-256 hash is configured (hex,
 * e.g. {@code printf %s "$KEY" | sha256sum}), never the key. A request presenting it in the API key
 * header is authenticated as principal {@code <name>} with {@code roles}.
 */
@EachProperty("runnel.http.api-keys")
public class ApiKeySettings {

  private final String name;
  private String sha256;
  private List<String> roles = List.of();
  private Integer rateLimitPerSecond;

  public ApiKeySettings(@Parameter String name) {
    this.name = name;
  }

  /** The principal name of requests presenting this key. */
  public String getName() {
    return name;
  }

  /** {@code sha256}: the key's SHA-256 hash, 64 hex digits. */
  public String getSha256() {
    return sha256;
  }

  public void setSha256(String sha256) {
    this.sha256 = sha256;
  }

  /** {@code roles}: the roles this key grants. */
  public List<String> getRoles() {
    return roles;
  }

  public void setRoles(List<String> roles) {
    this.roles = roles;
  }

  /**
   * {@code rate-limit-per-second}: this key's own limit, instead of {@code
   * runnel.http.rate-limit-per-second}; null for the shared one.
   */
  public Integer getRateLimitPerSecond() {
    return rateLimitPerSecond;
  }

  public void setRateLimitPerSecond(Integer rateLimitPerSecond) {
    this.rateLimitPerSecond = rateLimitPerSecond;
  }
}
