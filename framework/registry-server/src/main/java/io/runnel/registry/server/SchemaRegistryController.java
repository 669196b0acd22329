package io.runnel.registry.server;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.codec.CodecException;
import io.runnel.registry.CompatibilityLevel;
import io.runnel.registry.RegisteredSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Confluent Schema Registry REST API, for the subset Runnel's clients and Confluent's use. */
@Controller
@Requires(property = "runnel.registry-server.enabled", value = "true")
@Consumes({
  SchemaRegistryController.REGISTRY_JSON,
  "application/vnd.schemaregistry+json",
  "application/json",
  "application/octet-stream"
})
@Produces({SchemaRegistryController.REGISTRY_JSON, "application/json"})
final class SchemaRegistryController {

  static final String REGISTRY_JSON = "application/vnd.schemaregistry.v1+json";

  /** The body of register, lookup and compatibility requests. */
  record SchemaRequest(@Nullable String schema, @Nullable String schemaType) {}

  /** The body of a compatibility change. */
  record CompatibilityRequest(@Nullable String compatibility) {}

  private final SchemaStore store;

  SchemaRegistryController(SchemaStore store) {
    this.store = store;
  }

  @Get
  Map<String, Object> root() {
    return Map.of();
  }

  @Get("/subjects")
  List<String> subjects() {
    return store.subjects();
  }

  @Get("/subjects/{subject}/versions")
  List<Integer> versions(String subject) {
    return store.versions(subject);
  }

  @Get("/subjects/{subject}/versions/{version}")
  Map<String, Object> version(String subject, String version) {
    return describe(store.version(subject, version));
  }

  @Get("/subjects/{subject}/versions/{version}/schema")
  String versionSchema(String subject, String version) {
    return store.version(subject, version).schema().toString();
  }

  @Post("/subjects/{subject}/versions")
  Map<String, Object> register(String subject, @Body SchemaRequest request) {
    requireAvro(request);
    return Map.of("id", store.register(subject, request.schema()));
  }

  @Post("/subjects/{subject}")
  Map<String, Object> lookup(String subject, @Body SchemaRequest request) {
    requireAvro(request);
    return describe(store.lookup(subject, request.schema()));
  }

  @Delete("/subjects/{subject}/versions/{version}")
  int deleteVersion(String subject, String version) {
    return store.deleteVersion(subject, version);
  }

  @Get("/schemas/ids/{id}")
  Map<String, Object> schemaById(int id) {
    return Map.of("schema", store.schemaById(id).toString());
  }

  @Post("/compatibility/subjects/{subject}/versions/{version}")
  Map<String, Object> compatibility(
      String subject,
      String version,
      @Body SchemaRequest request,
      @QueryValue(defaultValue = "false") boolean verbose) {
    requireAvro(request);
    List<String> problems = store.checkCompatibility(subject, version, request.schema());
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("is_compatible", problems.isEmpty());
    if (verbose) {
      answer.put("messages", problems);
    }
    return answer;
  }

  @Get("/config")
  Map<String, Object> globalConfig() {
    return Map.of("compatibilityLevel", store.globalCompatibility().name());
  }

  @Put("/config")
  Map<String, Object> setGlobalConfig(@Body CompatibilityRequest request) {
    CompatibilityLevel level = level(request);
    store.setCompatibility(null, level);
    return Map.of("compatibility", level.name());
  }

  @Get("/config/{subject}")
  Map<String, Object> subjectConfig(
      String subject, @QueryValue(defaultValue = "false") boolean defaultToGlobal) {
    CompatibilityLevel level =
        store
            .subjectCompatibility(subject)
            .or(
                () ->
                    defaultToGlobal
                        ? java.util.Optional.of(store.globalCompatibility())
                        : java.util.Optional.empty())
            .orElseThrow(
                () ->
                    new RegistryError(
                        HttpStatus.NOT_FOUND,
                        40408,
                        "Subject '"
                            + subject
                            + "' does not have subject-level compatibility configured"));
    return Map.of("compatibilityLevel", level.name());
  }

  @Put("/config/{subject}")
  Map<String, Object> setSubjectConfig(String subject, @Body CompatibilityRequest request) {
    CompatibilityLevel level = level(request);
    store.setCompatibility(subject, level);
    return Map.of("compatibility", level.name());
  }

  @Error(exception = RegistryError.class)
  HttpResponse<Map<String, Object>> registryError(HttpRequest<?> request, RegistryError error) {
    return errorBody(error.status(), error.errorCode(), error.getMessage());
  }

  @Error(exception = CodecException.class)
  HttpResponse<Map<String, Object>> unreadableBody(HttpRequest<?> request, CodecException error) {
    return errorBody(
        HttpStatus.BAD_REQUEST, 400, "The request body is not valid JSON: " + error.getMessage());
  }

  @Error(exception = ConversionErrorException.class)
  HttpResponse<Map<String, Object>> badArgument(
      HttpRequest<?> request, ConversionErrorException error) {
    return errorBody(HttpStatus.BAD_REQUEST, 400, error.getMessage());
  }

  private static HttpResponse<Map<String, Object>> errorBody(
      HttpStatus status, int code, String message) {
    return HttpResponse.<Map<String, Object>>status(status)
        .body(Map.of("error_code", code, "message", message));
  }

  private static void requireAvro(SchemaRequest request) {
    if (request.schemaType() != null && !"AVRO".equalsIgnoreCase(request.schemaType())) {
      throw RegistryError.invalidSchema(
          "schema type " + request.schemaType() + " is not supported, only AVRO");
    }
  }

  private static CompatibilityLevel level(CompatibilityRequest request) {
    try {
      return CompatibilityLevel.parse(request.compatibility());
    } catch (IllegalArgumentException e) {
      throw new RegistryError(HttpStatus.UNPROCESSABLE_ENTITY, 42203, e.getMessage());
    }
  }

  private static Map<String, Object> describe(RegisteredSchema schema) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("subject", schema.subject());
    answer.put("version", schema.version());
    answer.put("id", schema.id());
    answer.put("schema", schema.schema().toString());
    return answer;
  }
}
