package io.runnel.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A custom resource's OpenAPI v3 schema, from its CustomResourceDefinition, checking an object as
 * the API server would with strict field validation: types, required fields, enums, and no field
 * the schema does not declare (unless it preserves unknown fields).
 */
final class CrdSchema {

  private final JsonNode schema;

  private CrdSchema(JsonNode schema) {
    this.schema = schema;
  }

  /** The schema of {@code version} in the CRD at {@code resource} on the test classpath. */
  static CrdSchema of(String resource, String version) {
    try (InputStream in = CrdSchema.class.getResourceAsStream(resource)) {
      JsonNode crd = new YAMLMapper().readTree(in);
      for (JsonNode candidate : crd.path("spec").path("versions")) {
        if (candidate.path("name").asText().equals(version)) {
          return new CrdSchema(candidate.path("schema").path("openAPIV3Schema"));
        }
      }
      throw new IllegalArgumentException(resource + " has no version " + version);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What is wrong with {@code object}, one line a problem; empty when it is valid. */
  List<String> problems(JsonNode object) {
    List<String> problems = new ArrayList<>();
    check(schema, object, "", problems);
    return problems;
  }

  private static void check(JsonNode schema, JsonNode value, String path, List<String> problems) {
    if (path.equals(".metadata")) {
      // ObjectMeta: a CRD declares it as a bare object; the API server checks it as for any object.
      if (!value.path("name").isTextual()) {
        problems.add(path + ": missing name");
      }
      return;
    }
    if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
      if (!value.isIntegralNumber() && !value.isTextual()) {
        problems.add(path + ": expected an integer or a string, was " + value);
      }
      return;
    }
    String type = schema.path("type").asText("");
    switch (type) {
      case "object" -> {
        if (!value.isObject()) {
          problems.add(path + ": expected an object, was " + value);
          return;
        }
        for (JsonNode required : schema.path("required")) {
          if (!value.has(required.asText())) {
            problems.add(path + ": missing required field " + required.asText());
          }
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
          Map.Entry<String, JsonNode> field = fields.next();
          String at = path + "." + field.getKey();
          if (properties.has(field.getKey())) {
            check(properties.get(field.getKey()), field.getValue(), at, problems);
          } else if (additional.isObject()) {
            check(additional, field.getValue(), at, problems);
          } else if (!preserveUnknown) {
            problems.add(at + ": unknown field");
          }
        }
      }
      case "array" -> {
        if (!value.isArray()) {
          problems.add(path + ": expected an array, was " + value);
          return;
        }
        for (int i = 0; i < value.size(); i++) {
          check(schema.path("items"), value.get(i), path + "[" + i + "]", problems);
        }
      }
      case "string" -> {
        if (!value.isTextual()) {
          problems.add(path + ": expected a string, was " + value);
        }
      }
      case "integer" -> {
        if (!value.isIntegralNumber()) {
          problems.add(path + ": expected an integer, was " + value);
        }
      }
      case "number" -> {
        if (!value.isNumber()) {
          problems.add(path + ": expected a number, was " + value);
        }
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          problems.add(path + ": expected a boolean, was " + value);
        }
      }
      default -> {
        // No type: anything.
      }
    }
    if (schema.has("enum")) {
      boolean listed = false;
      for (JsonNode allowed : schema.path("enum")) {
        listed |= allowed.equals(value);
      }
      if (!listed) {
        problems.add(path + ": " + value + " is not one of " + schema.path("enum"));
      }
    }
  }
}
