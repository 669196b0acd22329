package io.runnel.connectors.http.internals;

/** A request body that does not fit the route's Avro schema; answered with 400. */
final class InvalidEventException extends RuntimeException {

  private final String field;
  private final String expected;

  /**
   * @param field where, as a JSON path such as {@code readings[2].temperatureC}; empty for the
   *     whole body
   * @param expected what the schema wants there
   * @param problem what was wrong
   */
  InvalidEventException(String field, String expected, String problem) {
    super((field.isEmpty() ? "body" : "field '" + field + "'") + ": " + problem);
    this.field = field;
    this.expected = expected;
  }

  String field() {
    return field;
  }

  String expected() {
    return expected;
  }
}
