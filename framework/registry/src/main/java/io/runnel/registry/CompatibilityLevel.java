package io.runnel.registry;

/**
 * How a new schema version must relate to the earlier versions of its subject, with the names and
 * meaning the Confluent Schema Registry uses.
 */
public enum CompatibilityLevel {
  /** Any schema is accepted. */
  NONE,
  /** Readers of the new schema can read data written with the latest earlier version. */
  BACKWARD,
  /** Readers of the new schema can read data written with every earlier version. */
  BACKWARD_TRANSITIVE,
  /** Readers of the latest earlier version can read data written with the new schema. */
  FORWARD,
  /** Readers of every earlier version can read data written with the new schema. */
  FORWARD_TRANSITIVE,
  /** Both BACKWARD and FORWARD against the latest earlier version. */
  FULL,
  /** Both BACKWARD and FORWARD against every earlier version. */
  FULL_TRANSITIVE;

  /** Parses a level name as the registry API writes it, naming the valid ones when it is not. */
  public static CompatibilityLevel parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "Unknown compatibility level '"
              + name
              + "'; expected one of "
              + java.util.Arrays.toString(values()));
    }
  }

  /** Whether a new version is checked against all earlier versions, not only the latest. */
  public boolean transitive() {
    return name().endsWith("_TRANSITIVE");
  }

  /** Whether readers of the new schema must read data of the earlier versions. */
  public boolean checksBackward() {
    return this != NONE && this != FORWARD && this != FORWARD_TRANSITIVE;
  }

  /** Whether readers of the earlier versions must read data of the new schema. */
  public boolean checksForward() {
    return this != NONE && this != BACKWARD && this != BACKWARD_TRANSITIVE;
  }
}
