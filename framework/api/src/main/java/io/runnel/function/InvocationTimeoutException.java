package io.runnel.function;

/**
 * Why an invocation failed when it ran longer than its function's timeout. Name it in {@code
 * noRetryOn} to send timed-out records to the dead-letter topic without retrying.
 */
public class InvocationTimeoutException extends RuntimeException {

  public InvocationTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
