package io.runnel.runtime.internals;

import io.runnel.runtime.internals.DeadLetterPublisher.Stage;

/**
 * A handler asked for state it cannot have: a store or global table its function does not declare,
 * or a stored value that does not decode. Trying again cannot help, so the record goes to the
 * dead-letter topic at once: at stage {@code decode} for a value, {@code invoke} for a declaration.
 */
final class StateAccessException extends IllegalArgumentException {

  private final Stage stage;

  StateAccessException(Stage stage, String message, Throwable cause) {
    super(message, cause);
    this.stage = stage;
  }

  Stage stage() {
    return stage;
  }
}
