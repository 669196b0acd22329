package io.runnel.connectors.mqtt.internals;

/** An MQTT message that cannot become its route's event; it goes to the dead-letter topic. */
final class InvalidPayloadException extends Exception {

  private final String field;

  /**
   * @param field the JSON path of the bad field, or null when the whole payload is at fault
   */
  InvalidPayloadException(String message, String field) {
    super(message);
    this.field = field;
  }

  String field() {
    return field;
  }
}
