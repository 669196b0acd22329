package io.runnel.connectors.http.internals;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.http.HttpHeaders;
import io.runnel.registry.json.InvalidEventException;
import java.util.Map;

/**
 * Where a route takes the record key from: a top-level field of the JSON body, a path variable or a
 * header; or nowhere (no key, so Kafka spreads the records over the partitions).
 */
record KeySource(Kind kind, String name) {

  enum Kind {
    NONE,
    BODY,
    PATH,
    HEADER
  }

  static final KeySource NONE = new KeySource(Kind.NONE, "");

  /** Parses {@code body.<field>}, {@code path.<variable>} or {@code header.<name>}. */
  static KeySource parse(String spec, String setting) {
    if (spec == null || spec.isBlank()) {
      return NONE;
    }
    int dot = spec.indexOf('.');
    String prefix = dot < 0 ? spec : spec.substring(0, dot);
    String name = dot < 0 ? "" : spec.substring(dot + 1);
    Kind kind =
        switch (prefix) {
          case "body" -> Kind.BODY;
          case "path" -> Kind.PATH;
          case "header" -> Kind.HEADER;
          default -> null;
        };
    if (kind == null || name.isBlank()) {
      throw new ConfigurationException(
          setting + " is '" + spec + "': expected body.<field>, path.<variable> or header.<name>");
    }
    return new KeySource(kind, name);
  }

  /** The key of one event, or null for none; a missing key is the caller's mistake (400). */
  String extract(JsonNode body, Map<String, Object> pathVariables, HttpHeaders headers) {
    return switch (kind) {
      case NONE -> null;
      case BODY -> {
        JsonNode value = body.get(name);
        if (value == null || value.isNull() || value.isContainerNode()) {
          throw new InvalidEventException(
              name, "a string or number", "is the record key and must be a string or number");
        }
        yield value.asText();
      }
      case PATH -> String.valueOf(pathVariables.get(name));
      case HEADER -> {
        String value = headers.get(name);
        if (value == null || value.isBlank()) {
          throw new InvalidEventException(
              "header " + name, "a value", "is the record key and is missing");
        }
        yield value;
      }
    };
  }

  @Override
  public String toString() {
    return kind == Kind.NONE ? "" : kind.name().toLowerCase() + "." + name;
  }
}
