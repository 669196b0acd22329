package io.runnel.registry;

/**
 * An error answered by a schema registry, carrying the Confluent error code (for example 40401
 * subject not found, 40403 schema not found, 409 incompatible schema, 42201 invalid schema), or a
 * failure to reach the registry at all ({@link #UNREACHABLE}).
 */
public class SchemaRegistryException extends RuntimeException {

  /** Error code used when no registry answered. */
  public static final int UNREACHABLE = -1;

  public static final int SUBJECT_NOT_FOUND = 40401;
  public static final int VERSION_NOT_FOUND = 40402;
  public static final int SCHEMA_NOT_FOUND = 40403;
  public static final int SUBJECT_NOT_SOFT_DELETED = 40405;
  public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
  public static final int INCOMPATIBLE_SCHEMA = 409;
  public static final int INVALID_SCHEMA = 42201;
  public static final int INVALID_VERSION = 42202;
  public static final int INVALID_COMPATIBILITY_LEVEL = 42203;

  private final int httpStatus;
  private final int errorCode;

  public SchemaRegistryException(int httpStatus, int errorCode, String message) {
    super(message + " (error code " + errorCode + ")");
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
    this.httpStatus = 0;
    this.errorCode = UNREACHABLE;
  }

  /** The HTTP status of the answer, or 0 when no registry answered. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The Confluent error code, or {@link #UNREACHABLE}. */
  public int errorCode() {
    return errorCode;
  }
}
