package io.runnel.connectors.http.internals;

import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.http.uri.UriMatchInfo;
import io.micronaut.http.uri.UriMatchTemplate;
import io.micronaut.inject.ExecutableMethod;
import io.runnel.connectors.http.HttpRouteSettings;
import io.runnel.connectors.http.HttpTrigger;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.support.AnnotationAttributes;
import io.runnel.support.ConfiguredSchema;
import io.runnel.support.FunctionDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** The gateway's routes, from configuration and from {@code @HttpTrigger} functions. */
final class RouteTable {

  private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH");

  /** A request's route and the values of its path variables. */
  record MatchedRoute(Route route, Map<String, Object> pathVariables) {}

  private final List<Route> routes;

  private RouteTable(List<Route> routes) {
    this.routes = routes;
  }

  /** Builds and checks every route; a bad one fails start-up naming its setting. */
  static RouteTable build(
      List<HttpRouteSettings> configured,
      List<FunctionDescriptor> triggers,
      SchemaRegistryClient registry) {
    List<Route> routes = new ArrayList<>();
    for (HttpRouteSettings settings : configured) {
      routes.add(fromSettings(settings, registry));
    }
    for (FunctionDescriptor function : triggers) {
      routes.add(fromTrigger(function));
    }
    for (int i = 0; i < routes.size(); i++) {
      for (int j = 0; j < i; j++) {
        Route a = routes.get(i);
        Route b = routes.get(j);
        if (a.method().equals(b.method()) && a.path().equals(b.path())) {
          throw new ConfigurationException(
              "Two routes for "
                  + a.method()
                  + " "
                  + a.path()
                  + ": "
                  + b.source()
                  + " and "
                  + a.source());
        }
      }
    }
    return new RouteTable(List.copyOf(routes));
  }

  List<Route> routes() {
    return routes;
  }

  /** The route for a request, by path, then method. */
  Optional<MatchedRoute> match(String method, String path) {
    for (Route route : routes) {
      if (route.method().equals(method)) {
        UriMatchInfo info = route.template().tryMatch(path);
        if (info != null) {
          return Optional.of(new MatchedRoute(route, info.getVariableValues()));
        }
      }
    }
    return Optional.empty();
  }

  /** The methods that have a route for {@code path} (for 405's {@code Allow}). */
  Set<String> methodsFor(String path) {
    Set<String> methods = new LinkedHashSet<>();
    for (Route route : routes) {
      if (route.template().tryMatch(path) != null) {
        methods.add(route.method());
      }
    }
    return methods;
  }

  private static Route fromSettings(HttpRouteSettings settings, SchemaRegistryClient registry) {
    String prefix = "runnel.http.routes." + settings.getName() + ".";
    if (settings.getTopic() == null || settings.getTopic().isBlank()) {
      throw new ConfigurationException(prefix + "topic must be set");
    }
    Schema schema =
        ConfiguredSchema.resolve(settings.getSchema(), settings.getSubject(), prefix, registry);
    return route(
        settings.getName(),
        settings.getMethod(),
        settings.getPath(),
        settings.getTopic(),
        schema,
        KeySource.parse(settings.getKey(), prefix + "key"),
        settings.getMode(),
        settings.getRoles(),
        settings.getReplyTimeout(),
        prefix.substring(0, prefix.length() - 1),
        null,
        prefix);
  }

  /**
   * The route of an {@code @HttpTrigger} function: named after the function, to its first topic
   * (configuration included), with its reader schema.
   */
  private static Route fromTrigger(FunctionDescriptor function) {
    ExecutableMethod<Object, Object> method = function.method();
    String where =
        "@HttpTrigger on "
            + method.getDeclaringType().getSimpleName()
            + "."
            + method.getMethodName();
    if (function.readerSchema() == null) {
      throw new ConfigurationException(
          where
              + ": the function takes GenericRecord without a reader schema, so the route has no"
              + " schema: set readerSchema on @EventFunction, or configure the route under"
              + " runnel.http.routes");
    }
    Class<?> returned = method.getReturnType().getType();
    Schema replySchema =
        SpecificRecord.class.isAssignableFrom(returned)
            ? SpecificData.get().getSchema(returned)
            : null;
    return route(
        function.name(),
        trigger(method, "method", String.class),
        trigger(method, "path", String.class),
        function.topics().get(0),
        function.readerSchema(),
        KeySource.parse(trigger(method, "key", String.class), where + " key"),
        trigger(method, "mode", HttpTrigger.Mode.class),
        List.of(method.stringValues(HttpTrigger.class, "roles")),
        Duration.ofMillis(trigger(method, "replyTimeoutMs", Long.class)),
        where,
        replySchema,
        where + " ");
  }

  private static <T> T trigger(ExecutableMethod<?, ?> method, String member, Class<T> type) {
    return AnnotationAttributes.value(method, HttpTrigger.class, member, type);
  }

  private static Route route(
      String name,
      String method,
      String path,
      String topic,
      Schema schema,
      KeySource key,
      HttpTrigger.Mode mode,
      List<String> roles,
      Duration replyTimeout,
      String source,
      Schema replySchema,
      String prefix) {
    String upper = method.toUpperCase(Locale.ROOT);
    if (!METHODS.contains(upper)) {
      throw new ConfigurationException(
          prefix + "method must be one of " + METHODS + ", was " + method);
    }
    if (path == null || !path.startsWith("/")) {
      throw new ConfigurationException(
          prefix + "path must be set and start with '/', was '" + path + "'");
    }
    if (schema.getType() != Schema.Type.RECORD) {
      throw new ConfigurationException(
          prefix + "schema must be an Avro record, was " + schema.getType());
    }
    UriMatchTemplate template = UriMatchTemplate.of(path);
    if (key.kind() == KeySource.Kind.PATH && !template.getVariableNames().contains(key.name())) {
      throw new ConfigurationException(
          prefix
              + "key is path."
              + key.name()
              + ", but "
              + path
              + " has no variable {"
              + key.name()
              + "}");
    }
    if (key.kind() == KeySource.Kind.BODY && schema.getField(key.name()) == null) {
      throw new ConfigurationException(
          prefix
              + "key is body."
              + key.name()
              + ", but "
              + schema.getName()
              + " has no such field");
    }
    if (replyTimeout == null || !replyTimeout.isPositive()) {
      throw new ConfigurationException(
          prefix + "reply timeout must be positive, was " + replyTimeout);
    }
    return new Route(
        name,
        upper,
        template,
        topic,
        schema,
        key,
        mode,
        Set.copyOf(roles),
        replyTimeout,
        source,
        replySchema);
  }
}
