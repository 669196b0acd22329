package io.runnel.cli;

/**
 * A failure the user can act on (an unreachable cluster, a missing topic or group): the command
 * prints its message on one line and exits with code 1, without a stack trace.
 */
final class CommandFailure extends RuntimeException {

  CommandFailure(String message) {
    super(message);
  }

  /** One line for any exception: its message, or its class when it has none. */
  static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : message.lines().findFirst().orElse(message);
  }
}
