package io.runnel.support;

/** The handler method signatures Runnel can call. */
public enum FunctionShape {
  /** {@code handle(T event)}, returning nothing or a value. */
  SINGLE,
  /** {@code handle(T event, EventContext context)}, returning nothing or a value. */
  SINGLE_WITH_CONTEXT,
  /** {@code void handle(List<T> events)}. */
  BATCH
}
