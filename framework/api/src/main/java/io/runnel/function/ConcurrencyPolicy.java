package io.runnel.function;

/** How many invocations of a function run at once in one instance, up to its maximum. */
public enum ConcurrencyPolicy {
  /**
   * The limit follows the handler's latency: it starts at the maximum, shrinks (not below the
   * function's minimum) while invocations take markedly longer than the fastest seen, as they do
   * when a downstream the handler calls is over its capacity and queues them, and grows back while
   * they do not.
   */
  ADAPTIVE,
  /** Always up to the maximum. */
  FIXED
}
