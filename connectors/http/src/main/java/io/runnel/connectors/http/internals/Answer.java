package io.runnel.connectors.http.internals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnel.registry.json.InvalidEventException;
import java.util.HashMap;
import java.util.Map;

/**
 * What the gateway answers, before it becomes an HTTP response: a status, extra headers and a JSON
 * body. Errors are RFC 9457 problem documents ({@code application/problem+json}).
 */
record Answer(int status, Map<String, String> headers, JsonNode body) {

  static final String PROBLEM_JSON = "application/problem+json";

  static Answer of(int status, JsonNode body) {
    return new Answer(status, Map.of(), body);
  }

  static Answer problem(int status, String title, String detail) {
    return new Answer(status, Map.of(), problemBody(status, title, detail));
  }

  static Answer problem(int status, String title, String detail, Map<String, String> headers) {
    return new Answer(status, headers, problemBody(status, title, detail));
  }

  /** 400 for a body that does not fit the schema, naming the field and what it expected. */
  static Answer invalid(InvalidEventException e) {
    ObjectNode body = problemBody(400, "Invalid event", e.getMessage());
    body.put("field", e.field());
    body.put("expected", e.expected());
    return new Answer(400, Map.of(), body);
  }

  static ObjectNode problemBody(int status, String title, String detail) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    return body;
  }

  boolean isProblem() {
    return status >= 400;
  }

  Answer withHeader(String name, String value) {
    Map<String, String> more = new HashMap<>(headers);
    more.put(name, value);
    return new Answer(status, Map.copyOf(more), body);
  }
}
