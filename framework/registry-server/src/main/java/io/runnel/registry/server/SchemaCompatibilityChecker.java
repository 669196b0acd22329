package io.runnel.registry.server;

import io.runnel.registry.CompatibilityLevel;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Decides whether a new schema may follow the existing versions of a subject, using Avro's own
 * rules.
 */
final class SchemaCompatibilityChecker {

  private SchemaCompatibilityChecker() {}

  /**
   * Returns why {@code candidate} is incompatible with {@code existing} (oldest first) under {@code
   * level}; an empty list means it is compatible.
   */
  static List<String> incompatibilities(
      CompatibilityLevel level, Schema candidate, List<Schema> existing) {
    List<String> problems = new ArrayList<>();
    if (level == CompatibilityLevel.NONE || existing.isEmpty()) {
      return problems;
    }
    List<Schema> against =
        level.transitive() ? existing : List.of(existing.get(existing.size() - 1));
    for (Schema previous : against) {
      if (level.checksBackward()) {
        describe(
            SchemaCompatibility.checkReaderWriterCompatibility(candidate, previous),
            "BACKWARD",
            problems);
      }
      if (level.checksForward()) {
        describe(
            SchemaCompatibility.checkReaderWriterCompatibility(previous, candidate),
            "FORWARD",
            problems);
      }
    }
    return problems;
  }

  private static void describe(
      SchemaPairCompatibility result, String direction, List<String> problems) {
    if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      return;
    }
    for (SchemaCompatibility.Incompatibility incompatibility :
        result.getResult().getIncompatibilities()) {
      problems.add(
          "{direction:"
              + direction
              + ", type:"
              + incompatibility.getType()
              + ", location:"
              + incompatibility.getLocation()
              + ", message:"
              + incompatibility.getMessage()
              + "}");
    }
  }
}
