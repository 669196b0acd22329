package io.runnel.runtime.internals;

/** The handler method signatures Runnel can call. */
enum FunctionShape {
  /** {@code handle(T event)}. */
  SINGLE,
  /** {@code handle(T event, EventContext context)}. */
  SINGLE_WITH_CONTEXT,
  /** {@code handle(List<T> events)}. */
  BATCH
}
