package io.runnel.support;

import io.micronaut.core.annotation.AnnotationMetadata;
import java.lang.annotation.Annotation;

/**
 * Reads an annotation attribute from Micronaut's compile-time metadata, falling back to the default
 * the annotation type declares, so that every default is written once: in the annotation.
 */
public final class AnnotationAttributes {

  private AnnotationAttributes() {}

  /**
   * The attribute as written on {@code element}, or its declared default. A class compiled against
   * an older Runnel has no metadata for attributes added since; their defaults come from the
   * annotation type itself.
   */
  public static <T> T value(
      AnnotationMetadata element,
      Class<? extends Annotation> annotation,
      String member,
      Class<T> type) {
    return element
        .getValue(annotation, member, type)
        .or(() -> element.getDefaultValue(annotation, member, type))
        .orElseGet(() -> declaredDefault(annotation, member, type));
  }

  /** The default that {@code annotation} declares for {@code member}. */
  public static <T> T declaredDefault(
      Class<? extends Annotation> annotation, String member, Class<T> type) {
    try {
      Object value = annotation.getMethod(member).getDefaultValue();
      if (value == null) {
        throw new IllegalStateException(
            "@" + annotation.getSimpleName() + "." + member + " has no default");
      }
      return type.cast(value);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(
          "@" + annotation.getSimpleName() + " has no attribute " + member, e);
    }
  }
}
