package io.runnel.registry.server;

import io.micronaut.http.HttpStatus;

/** An error the registry answers with a Confluent error code and message. */
final class RegistryError extends RuntimeException {

  private final HttpStatus status;
  private final int errorCode;

  RegistryError(HttpStatus status, int errorCode, String message) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }

  HttpStatus status() {
    return status;
  }

  int errorCode() {
    return errorCode;
  }

  static RegistryError subjectNotFound(String subject) {
    return new RegistryError(HttpStatus.NOT_FOUND, 40401, "Subject '" + subject + "' not found.");
  }

  static RegistryError versionNotFound(String subject, String version) {
    return new RegistryError(
        HttpStatus.NOT_FOUND,
        40402,
        "Version " + version + " not found for subject '" + subject + "'.");
  }

  static RegistryError schemaNotFound(String what) {
    return new RegistryError(HttpStatus.NOT_FOUND, 40403, "Schema " + what + " not found.");
  }

  static RegistryError invalidSchema(String reason) {
    return new RegistryError(HttpStatus.UNPROCESSABLE_ENTITY, 42201, "Invalid schema: " + reason);
  }

  static RegistryError invalidVersion(String version) {
    return new RegistryError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        42202,
        "The specified version '"
            + version
            + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
  }
}
