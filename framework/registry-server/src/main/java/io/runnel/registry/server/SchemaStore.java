package io.runnel.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import io.runnel.registry.CompatibilityLevel;
import io.runnel.registry.RegisteredSchema;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The registry's subjects, versions, schema ids and compatibility settings. Changes go to the
 * {@link KafkaSchemaLog} first and are applied here only once stored, so what the API answered
 * survives a restart.
 */
@Singleton
@Requires(property = "runnel.registry-server.enabled", value = "true")
final class SchemaStore implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private record Version(int version, int id, boolean deleted) {}

  private final KafkaSchemaLog log;
  private final CompatibilityLevel defaultCompatibility;
  private final Map<Integer, Schema> schemasById = new HashMap<>();
  private final Map<String, Integer> idsBySchemaText = new HashMap<>();
  private final Map<String, TreeMap<Integer, Version>> subjects = new TreeMap<>();
  private final Map<String, CompatibilityLevel> subjectCompatibility = new HashMap<>();
  private CompatibilityLevel globalCompatibility;

  SchemaStore(RegistryServerSettings settings) {
    this.defaultCompatibility = settings.getDefaultCompatibility();
    this.log = new KafkaSchemaLog(settings.getKafkaBootstrapServers(), settings.getTopic());
    log.replay(this::apply);
  }

  synchronized List<String> subjects() {
    return subjects.entrySet().stream()
        .filter(e -> e.getValue().values().stream().anyMatch(v -> !v.deleted()))
        .map(Map.Entry::getKey)
        .toList();
  }

  synchronized List<Integer> versions(String subject) {
    return live(subject).stream().map(Version::version).toList();
  }

  synchronized RegisteredSchema version(String subject, String version) {
    List<Version> live = live(subject);
    Version found;
    if ("latest".equals(version) || "-1".equals(version)) {
      found = live.get(live.size() - 1);
    } else {
      int number = parseVersion(version);
      found =
          live.stream()
              .filter(v -> v.version() == number)
              .findFirst()
              .orElseThrow(() -> RegistryError.versionNotFound(subject, version));
    }
    return registered(subject, found);
  }

  synchronized Schema schemaById(int id) {
    Schema schema = schemasById.get(id);
    if (schema == null) {
      throw RegistryError.schemaNotFound("id " + id);
    }
    return schema;
  }

  /** Finds {@code schemaText} among the live versions of {@code subject}. */
  synchronized RegisteredSchema lookup(String subject, String schemaText) {
    Schema schema = parse(schemaText);
    return live(subject).stream()
        .filter(v -> schemasById.get(v.id()).toString().equals(schema.toString()))
        .findFirst()
        .map(v -> registered(subject, v))
        .orElseThrow(() -> RegistryError.schemaNotFound("under subject '" + subject + "'"));
  }

  /**
   * Registers a schema as the next version of a subject, or returns the id it already has there.
   */
  synchronized int register(String subject, String schemaText) {
    Schema schema = parse(schemaText);
    List<Version> live = liveOrEmpty(subject);
    Optional<Version> existing =
        live.stream()
            .filter(v -> schemasById.get(v.id()).toString().equals(schema.toString()))
            .findFirst();
    if (existing.isPresent()) {
      return existing.get().id();
    }
    List<String> problems = incompatibilities(subject, schema, live);
    if (!problems.isEmpty()) {
      throw new RegistryError(
          HttpStatus.CONFLICT,
          409,
          "Schema being registered is incompatible with an earlier schema for subject \""
              + subject
              + "\", details: "
              + problems);
    }
    int id =
        idsBySchemaText.getOrDefault(
            schema.toString(), schemasById.keySet().stream().mapToInt(i -> i).max().orElse(0) + 1);
    TreeMap<Integer, Version> all = subjects.get(subject);
    int version = all == null || all.isEmpty() ? 1 : all.lastKey() + 1;
    writeVersion(subject, version, id, schema, false);
    return id;
  }

  /**
   * Whether {@code schemaText} could follow the live versions of {@code subject}, and if not why.
   */
  synchronized List<String> checkCompatibility(String subject, String version, String schemaText) {
    Schema schema = parse(schemaText);
    List<Version> live = live(subject);
    if (!"latest".equals(version)) {
      int number = parseVersion(version);
      live = live.stream().filter(v -> v.version() == number).toList();
      if (live.isEmpty()) {
        throw RegistryError.versionNotFound(subject, version);
      }
    }
    return incompatibilities(subject, schema, live);
  }

  synchronized int deleteVersion(String subject, String version) {
    RegisteredSchema found = version(subject, version);
    writeVersion(subject, found.version(), found.id(), found.schema(), true);
    return found.version();
  }

  synchronized CompatibilityLevel globalCompatibility() {
    return globalCompatibility == null ? defaultCompatibility : globalCompatibility;
  }

  synchronized Optional<CompatibilityLevel> subjectCompatibility(String subject) {
    return Optional.ofNullable(subjectCompatibility.get(subject));
  }

  synchronized void setCompatibility(String subject, CompatibilityLevel level) {
    ObjectNode key =
        JSON.createObjectNode().put("keytype", "CONFIG").put("subject", subject).put("magic", 0);
    ObjectNode value = JSON.createObjectNode().put("compatibilityLevel", level.name());
    log.append(key, value);
    apply(key, value);
  }

  private List<String> incompatibilities(String subject, Schema schema, List<Version> against) {
    CompatibilityLevel level = subjectCompatibility(subject).orElse(globalCompatibility());
    List<Schema> existing = new ArrayList<>();
    against.forEach(v -> existing.add(schemasById.get(v.id())));
    return SchemaCompatibilityChecker.incompatibilities(level, schema, existing);
  }

  private void writeVersion(String subject, int version, int id, Schema schema, boolean deleted) {
    ObjectNode key =
        JSON.createObjectNode()
            .put("keytype", "SCHEMA")
            .put("subject", subject)
            .put("version", version)
            .put("magic", 1);
    ObjectNode value =
        JSON.createObjectNode()
            .put("subject", subject)
            .put("version", version)
            .put("id", id)
            .put("schema", schema.toString())
            .put("deleted", deleted);
    log.append(key, value);
    apply(key, value);
  }

  /** Applies one log entry; entries of kinds this registry does not know are skipped. */
  private void apply(JsonNode key, JsonNode value) {
    switch (key.path("keytype").asText()) {
      case "SCHEMA" -> {
        if (value == null) {
          return;
        }
        int id = value.path("id").asInt();
        Schema schema =
            schemasById.computeIfAbsent(
                id, i -> new Schema.Parser().parse(value.path("schema").asText()));
        idsBySchemaText.putIfAbsent(schema.toString(), id);
        subjects
            .computeIfAbsent(value.path("subject").asText(), s -> new TreeMap<>())
            .put(
                value.path("version").asInt(),
                new Version(value.path("version").asInt(), id, value.path("deleted").asBoolean()));
      }
      case "CONFIG" -> {
        CompatibilityLevel level =
            value == null
                ? null
                : CompatibilityLevel.parse(value.path("compatibilityLevel").asText());
        if (key.path("subject").isNull() || key.path("subject").isMissingNode()) {
          globalCompatibility = level;
        } else if (level == null) {
          subjectCompatibility.remove(key.path("subject").asText());
        } else {
          subjectCompatibility.put(key.path("subject").asText(), level);
        }
      }
      default -> {}
    }
  }

  private List<Version> live(String subject) {
    List<Version> live = liveOrEmpty(subject);
    if (live.isEmpty()) {
      throw RegistryError.subjectNotFound(subject);
    }
    return live;
  }

  private List<Version> liveOrEmpty(String subject) {
    TreeMap<Integer, Version> all = subjects.get(subject);
    return all == null ? List.of() : all.values().stream().filter(v -> !v.deleted()).toList();
  }

  private RegisteredSchema registered(String subject, Version version) {
    return new RegisteredSchema(
        subject, version.version(), version.id(), schemasById.get(version.id()));
  }

  private static int parseVersion(String version) {
    try {
      int number = Integer.parseInt(version);
      if (number < 1) {
        throw RegistryError.invalidVersion(version);
      }
      return number;
    } catch (NumberFormatException e) {
      throw RegistryError.invalidVersion(version);
    }
  }

  private static Schema parse(String schemaText) {
    if (schemaText == null || schemaText.isBlank()) {
      throw RegistryError.invalidSchema("the request has no \"schema\" field");
    }
    try {
      return new Schema.Parser().parse(schemaText);
    } catch (SchemaParseException | NullPointerException e) {
      throw RegistryError.invalidSchema(e.getMessage());
    }
  }

  @PreDestroy
  @Override
  public void close() {
    log.close();
  }
}
