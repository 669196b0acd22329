package io.runnel.connectors.http.internals;

import io.runnel.connectors.http.HttpTrigger;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.DateSchema;
import io.swagger.v3.oas.models.media.DateTimeSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MapSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.media.UUIDSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.LogicalTypes;

/**
 * The OpenAPI 3 document of the gateway's routes, built with swagger-core's model: each route's
 * request body is its Avro schema as a JSON schema (the plain JSON the gateway takes), with the
 * answers and problem documents it may give.
 */
final class OpenApiDocument {

  private OpenApiDocument() {}

  static String json(List<Route> routes, String apiKeyHeader) {
    OpenAPI api =
        new OpenAPI()
            .info(
                new Info()
                    .title("Runnel HTTP gateway")
                    .version("1")
                    .description("HTTP requests become Avro events on Kafka."))
            .components(
                new Components()
                    .addSecuritySchemes(
                        "bearer",
                        new SecurityScheme()
                            .type(SecurityScheme.Type.HTTP)
                            .scheme("bearer")
                            .bearerFormat("JWT"))
                    .addSecuritySchemes(
                        "apiKey",
                        new SecurityScheme()
                            .type(SecurityScheme.Type.APIKEY)
                            .in(SecurityScheme.In.HEADER)
                            .name(apiKeyHeader))
                    .addSchemas("Problem", problemSchema())
                    .addSchemas("Stored", storedSchema()));
    Map<String, PathItem> paths = new TreeMap<>();
    for (Route route : routes) {
      Map<String, Schema> components = new TreeMap<>();
      Schema<?> body = schema(route.schema(), components);
      if (route.replySchema() != null) {
        schema(route.replySchema(), components);
      }
      components.forEach(api.getComponents()::addSchemas);
      PathItem item = paths.computeIfAbsent(route.path(), p -> new PathItem());
      Operation operation = operation(route, body);
      switch (route.method()) {
        case "PUT" -> item.setPut(operation);
        case "PATCH" -> item.setPatch(operation);
        default -> item.setPost(operation);
      }
    }
    paths.forEach(api::path);
    return Json.pretty(api);
  }

  private static Operation operation(Route route, Schema<?> body) {
    Content request = new Content().addMediaType("application/json", new MediaType().schema(body));
    ApiResponses responses = new ApiResponses();
    if (route.mode() == HttpTrigger.Mode.REQUEST_REPLY) {
      Schema<?> reply =
          route.replySchema() == null ? new ObjectSchema() : ref(route.replySchema().getFullName());
      responses.addApiResponse(
          "200",
          response("The function's reply", new MediaType().schema(reply), "application/json"));
      responses.addApiResponse(
          "504", problem("No reply within " + route.replyTimeout().toMillis() + " ms"));
    } else {
      request.addMediaType(
          "application/x-ndjson",
          new MediaType().schema(new StringSchema().description("One event per line")));
      request
          .get("application/json")
          .schema(new Schema<>().oneOf(List.of(body, new ArraySchema().items(body))));
      responses.addApiResponse(
          "202",
          response("Stored in Kafka", new MediaType().schema(ref("Stored")), "application/json"));
      responses.addApiResponse(
          "207",
          response(
              "A batch of which some items failed: each item's status",
              new MediaType().schema(new ObjectSchema()),
              "application/json"));
    }
    responses.addApiResponse(
        "400", problem("The body does not fit the schema; the problem names the field"));
    responses.addApiResponse("413", problem("The body or batch is over the limit"));
    responses.addApiResponse("415", problem("Not application/json or application/x-ndjson"));
    responses.addApiResponse("429", problem("Over the rate limit; see Retry-After"));
    responses.addApiResponse("503", problem("Kafka did not store the event in time"));
    Operation operation =
        new Operation()
            .operationId(route.name())
            .summary(route.method() + " → " + route.topic())
            .description(
                "Events of "
                    + route.schema().getFullName()
                    + " on topic "
                    + route.topic()
                    + (route.key().kind() == KeySource.Kind.NONE
                        ? ""
                        : ", keyed by " + route.key()))
            .requestBody(new RequestBody().required(true).content(request))
            .responses(responses);
    for (String variable : route.template().getVariableNames()) {
      operation.addParametersItem(
          new Parameter().in("path").name(variable).required(true).schema(new StringSchema()));
    }
    if (route.key().kind() == KeySource.Kind.HEADER) {
      operation.addParametersItem(
          new Parameter()
              .in("header")
              .name(route.key().name())
              .required(true)
              .schema(new StringSchema()));
    }
    operation.addParametersItem(
        new Parameter()
            .in("header")
            .name("Idempotency-Key")
            .required(false)
            .description("Retries with the same key produce one event")
            .schema(new StringSchema()));
    if (!route.roles().isEmpty()) {
      responses.addApiResponse("401", problem("No or invalid credentials"));
      responses.addApiResponse("403", problem("None of the roles " + route.roles()));
      operation.setSecurity(
          List.of(
              new SecurityRequirement().addList("bearer"),
              new SecurityRequirement().addList("apiKey")));
    }
    return operation;
  }

  /** An Avro schema as the JSON schema of the plain JSON the gateway takes for it. */
  private static Schema<?> schema(org.apache.avro.Schema avro, Map<String, Schema> components) {
    if (avro.getLogicalType() != null) {
      String logical = avro.getLogicalType().getName();
      if (logical.startsWith("timestamp") || logical.startsWith("local-timestamp")) {
        return new DateTimeSchema();
      }
      if (logical.equals("date")) {
        return new DateSchema();
      }
      if (logical.equals("uuid")) {
        return new UUIDSchema();
      }
      if (avro.getLogicalType() instanceof LogicalTypes.Decimal) {
        return new NumberSchema();
      }
    }
    return switch (avro.getType()) {
      case RECORD -> {
        if (!components.containsKey(avro.getFullName())) {
          ObjectSchema object = new ObjectSchema();
          components.put(avro.getFullName(), object);
          object.description(avro.getDoc());
          List<String> required = new ArrayList<>();
          for (org.apache.avro.Schema.Field field : avro.getFields()) {
            Schema<?> property = schema(field.schema(), components);
            if (field.doc() != null) {
              property.description(field.doc());
            }
            object.addProperty(field.name(), property);
            if (!field.hasDefaultValue() && !nullable(field.schema())) {
              required.add(field.name());
            }
          }
          object.required(required.isEmpty() ? null : required);
          object.additionalProperties(false);
        }
        yield ref(avro.getFullName());
      }
      case UNION -> {
        List<org.apache.avro.Schema> branches =
            avro.getTypes().stream()
                .filter(t -> t.getType() != org.apache.avro.Schema.Type.NULL)
                .toList();
        Schema<?> schema =
            branches.size() == 1
                ? schema(branches.get(0), components)
                : new Schema<>()
                    .oneOf(branches.stream().map(b -> (Schema) schema(b, components)).toList());
        yield nullable(avro) ? schema.nullable(true) : schema;
      }
      case ENUM -> new StringSchema()._enum(avro.getEnumSymbols());
      case ARRAY -> new ArraySchema().items(schema(avro.getElementType(), components));
      case MAP -> new MapSchema().additionalProperties(schema(avro.getValueType(), components));
      case STRING, BYTES, FIXED -> new StringSchema();
      case INT -> new IntegerSchema();
      case LONG -> new IntegerSchema().format("int64");
      case FLOAT -> new NumberSchema().format("float");
      case DOUBLE -> new NumberSchema().format("double");
      case BOOLEAN -> new BooleanSchema();
      case NULL -> new Schema<>().nullable(true);
    };
  }

  private static boolean nullable(org.apache.avro.Schema avro) {
    return avro.getType() == org.apache.avro.Schema.Type.UNION
        && avro.getTypes().stream().anyMatch(t -> t.getType() == org.apache.avro.Schema.Type.NULL);
  }

  private static Schema<?> ref(String component) {
    return new Schema<>().$ref("#/components/schemas/" + component);
  }

  private static ApiResponse response(String description, MediaType media, String type) {
    return new ApiResponse()
        .description(description)
        .content(new Content().addMediaType(type, media));
  }

  private static ApiResponse problem(String description) {
    return response(description, new MediaType().schema(ref("Problem")), Answer.PROBLEM_JSON);
  }

  private static Schema<?> problemSchema() {
    return new ObjectSchema()
        .description("RFC 9457 problem details")
        .addProperty("title", new StringSchema())
        .addProperty("status", new IntegerSchema())
        .addProperty("detail", new StringSchema())
        .addProperty("field", new StringSchema().description("For 400: the field at fault"))
        .addProperty(
            "expected", new StringSchema().description("For 400: what the schema expects there"));
  }

  private static Schema<?> storedSchema() {
    return new ObjectSchema()
        .addProperty("topic", new StringSchema())
        .addProperty("partition", new IntegerSchema())
        .addProperty("offset", new IntegerSchema().format("int64"));
  }
}
