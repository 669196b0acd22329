package io.runnel.runtime.internals;

import io.micronaut.context.env.ActiveEnvironment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySourceLoader;
import io.micronaut.core.io.ResourceLoader;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * Settings every process with the runtime starts from, below the application's own files, so an
 * application can override them: {@code GET /prometheus} is served without authentication (a
 * Micronaut endpoint is sensitive by default), as Prometheus scrapes it anonymously.
 */
public final class RuntimeDefaults implements PropertySourceLoader {

  /** Below {@code application.yml} (-300), so the application's settings win. */
  private static final int ORDER = -400;

  private static final Map<String, Object> DEFAULTS =
      Map.of("endpoints.prometheus.sensitive", false);

  @Override
  public Optional<PropertySource> load(String resourceName, ResourceLoader resourceLoader) {
    return Optional.of(PropertySource.of("runnel-runtime-defaults", DEFAULTS, ORDER));
  }

  @Override
  public Optional<PropertySource> loadEnv(
      String resourceName, ResourceLoader resourceLoader, ActiveEnvironment activeEnvironment) {
    return Optional.empty();
  }

  @Override
  public Map<String, Object> read(String name, InputStream input) {
    return Map.of(); // reads no files: its settings are the constants above
  }
}
