package io.runnel.registry.json;

/**
 * JSON that does not fit an Avro schema (an HTTP body, an MQTT payload), naming the field and what
 * the schema expected there.
 */
public final class InvalidEventException extends RuntimeException {

  private final String field;
  private final String expected;

  /**
   * @param field where, as a JSON path such as {@code readings[2].temperatureC}; empty for the
   *     whole body
   * @param expected what the schema wants there
   * @param problem what was wrong
   */
  public InvalidEventException(String field, String expected, String problem) {
    super((field.isEmpty() ? "body" : "field '" + field + "'") + ": " + problem);
    this.field = field;
    this.expected = expected;
  }

  public String field() {
    return field;
  }

  public String expected() {
    return expected;
  }
}
