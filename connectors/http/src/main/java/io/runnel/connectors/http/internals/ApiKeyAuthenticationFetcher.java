package io.runnel.connectors.http.internals;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import io.runnel.connectors.http.ApiKeySettings;
import io.runnel.connectors.http.HttpGatewaySettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.reactivestreams.Publisher;

/**
 * Authenticates requests carrying a configured API key in the API key header: the key's SHA-256 is
 * compared (in constant time) with the configured hashes, so the keys themselves are never stored.
 * JWT bearer tokens are Micronaut Security's own fetcher.
 */
// Created with the context, so that a malformed hash fails start-up rather than the first request.
@Context
@Requires(property = "runnel.http.enabled", notEquals = "false")
final class ApiKeyAuthenticationFetcher implements AuthenticationFetcher<HttpRequest<?>> {

  private record Key(byte[] sha256, Authentication authentication) {}

  private final String header;
  private final List<Key> keys;

  ApiKeyAuthenticationFetcher(HttpGatewaySettings settings, List<ApiKeySettings> apiKeys) {
    this.header = settings.getApiKeyHeader();
    this.keys =
        apiKeys.stream()
            .map(
                key ->
                    new Key(
                        parseHash(key),
                        Authentication.build(key.getName(), List.copyOf(key.getRoles()))))
            .toList();
  }

  @Override
  public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
    String presented = request.getHeaders().get(header);
    if (presented == null || keys.isEmpty()) {
      return Publishers.empty();
    }
    byte[] hash = sha256(presented);
    for (Key key : keys) {
      if (MessageDigest.isEqual(hash, key.sha256())) {
        return Publishers.just(key.authentication());
      }
    }
    return Publishers.empty();
  }

  private static byte[] parseHash(ApiKeySettings key) {
    String setting = "runnel.http.api-keys." + key.getName() + ".sha256";
    String hex = key.getSha256();
    if (hex == null || !hex.matches("[0-9a-fA-F]{64}")) {
      throw new ConfigurationException(
          setting + " must be the key's SHA-256 as 64 hex digits (printf %s \"$KEY\" | sha256sum)");
    }
    return HexFormat.of().parseHex(hex);
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
