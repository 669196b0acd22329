package io.runnel.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads manifests into typed models (fabric8's Kubernetes model, Strimzi's api) and rejects a field
 * a model does not know: those models keep unknown fields in {@code additionalProperties} rather
 * than failing, so every one found in the object graph must be empty.
 */
final class TypedManifests {

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final List<String> MODEL_PACKAGES =
      List.of("io.fabric8.kubernetes.api.model", "io.strimzi.api");

  private TypedManifests() {}

  /** Every object in {@code file}, as {@code type}, each without unknown fields. */
  static <T> List<T> read(Path file, Class<T> type) throws IOException {
    List<T> objects = new ArrayList<>();
    try (MappingIterator<T> documents = YAML.readerFor(type).readValues(file.toFile())) {
      while (documents.hasNext()) {
        T object = documents.next();
        assertNoUnknownFields(object, type.getSimpleName());
        objects.add(object);
      }
    }
    return objects;
  }

  /** Every object in {@code file}, untyped. */
  static List<JsonNode> trees(Path file) throws IOException {
    try (MappingIterator<JsonNode> documents =
        YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      return documents.readAll();
    }
  }

  private static void assertNoUnknownFields(Object object, String path) {
    if (object == null) {
      return;
    }
    if (object instanceof Collection<?> collection) {
      int i = 0;
      for (Object element : collection) {
        assertNoUnknownFields(element, path + "[" + i++ + "]");
      }
      return;
    }
    if (object instanceof Map<?, ?> map) {
      map.forEach((key, value) -> assertNoUnknownFields(value, path + "." + key));
      return;
    }
    for (Method getter : object.getClass().getMethods()) {
      if (!isModelGetter(getter)) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(object);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new AssertionError(path + "." + getter.getName(), e);
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        assertThat((Map<?, ?>) value)
            .as("fields %s does not know, at %s", object.getClass().getSimpleName(), path)
            .isNullOrEmpty();
      } else {
        assertNoUnknownFields(value, path + "." + getter.getName().substring(3));
      }
    }
  }

  private static boolean isModelGetter(Method method) {
    String declaredIn = method.getDeclaringClass().getPackageName();
    return method.getName().startsWith("get")
        && method.getParameterCount() == 0
        && !Modifier.isStatic(method.getModifiers())
        && MODEL_PACKAGES.stream().anyMatch(declaredIn::startsWith);
  }
}
