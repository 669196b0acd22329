package io.runnel.registry.serde;

import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.SubjectNameStrategy;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * The serializer and deserializer settings, under the names Confluent's serializers use so that
 * existing client configuration keeps working.
 */
public record AvroSerdeConfig(
    String registryUrl,
    String basicAuthUserInfo,
    boolean autoRegisterSchemas,
    SubjectNameStrategy keySubjectNameStrategy,
    SubjectNameStrategy valueSubjectNameStrategy,
    boolean specificAvroReader) {

  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

  /** Reads the settings from a Kafka client configuration map. */
  public static AvroSerdeConfig from(Map<String, ?> configs) {
    Object url = configs.get(SCHEMA_REGISTRY_URL);
    if (url == null || url.toString().isBlank()) {
      throw new ConfigException(SCHEMA_REGISTRY_URL, url, "The schema registry URL must be set");
    }
    return new AvroSerdeConfig(
        url.toString(),
        stringOrNull(configs.get(BASIC_AUTH_USER_INFO)),
        bool(configs, AUTO_REGISTER_SCHEMAS, true),
        strategy(configs, KEY_SUBJECT_NAME_STRATEGY),
        strategy(configs, VALUE_SUBJECT_NAME_STRATEGY),
        bool(configs, SPECIFIC_AVRO_READER, false));
  }

  /** A registry client for these settings. */
  public SchemaRegistryClient newClient() {
    return new SchemaRegistryClient(registryUrl, Duration.ofSeconds(10), basicAuthUserInfo);
  }

  private static String stringOrNull(Object value) {
    return value == null ? null : value.toString();
  }

  private static boolean bool(Map<String, ?> configs, String name, boolean defaultValue) {
    Object value = configs.get(name);
    if (value == null) {
      return defaultValue;
    }
    String text = value.toString().trim();
    if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
      throw new ConfigException(name, value, "Expected true or false");
    }
    return Boolean.parseBoolean(text);
  }

  private static SubjectNameStrategy strategy(Map<String, ?> configs, String name) {
    Object value = configs.get(name);
    if (value == null) {
      return SubjectNameStrategy.TOPIC_NAME;
    }
    try {
      return SubjectNameStrategy.parse(
          value instanceof Class<?> c ? c.getName() : value.toString());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name, value, e.getMessage());
    }
  }
}
