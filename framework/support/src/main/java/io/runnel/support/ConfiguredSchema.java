package io.runnel.support;

import io.micronaut.context.exceptions.ConfigurationException;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The Avro schema a connector's route names in its settings: {@code <prefix>schema}, a generated
 * class on the classpath, or {@code <prefix>subject}, the latest version of a registry subject. A
 * bad choice fails start-up naming the setting.
 */
public final class ConfiguredSchema {

  private ConfiguredSchema() {}

  /**
   * @param prefix the settings' prefix with its trailing dot, e.g. {@code
   *     runnel.http.routes.orders.}
   */
  public static Schema resolve(
      String schemaClass, String subject, String prefix, SchemaRegistryClient registry) {
    if ((schemaClass == null) == (subject == null)) {
      throw new ConfigurationException(
          prefix + "schema or " + prefix + "subject must be set (one, not both)");
    }
    return schemaClass != null
        ? ofClass(schemaClass, prefix + "schema")
        : latestOfSubject(subject, registry, prefix + "subject");
  }

  private static Schema ofClass(String className, String setting) {
    Class<?> type;
    try {
      type = Class.forName(className, true, ConfiguredSchema.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new ConfigurationException(
          setting
              + " is "
              + className
              + ": no such class on the classpath (is the jar with the generated schema classes there?)");
    }
    if (!SpecificRecord.class.isAssignableFrom(type)) {
      throw new ConfigurationException(
          setting + " is " + className + ", which is not a generated Avro record class");
    }
    return SpecificData.get().getSchema(type);
  }

  private static Schema latestOfSubject(
      String subject, SchemaRegistryClient registry, String setting) {
    try {
      return registry.getLatestVersion(subject).schema();
    } catch (SchemaRegistryException e) {
      throw new ConfigurationException(
          setting + " is " + subject + ", which the schema registry cannot give: " + e.getMessage(),
          e);
    }
  }
}
