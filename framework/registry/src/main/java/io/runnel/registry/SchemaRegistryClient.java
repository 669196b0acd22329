package io.runnel.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnel.registry.internals.SingleFlightCache;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A client for the Confluent Schema Registry REST API, as also served by Apicurio (ccompat),
 * Karapace and Runnel's dev registry.
 *
 * <p>Schemas by id and ids by (subject, schema) are cached: both never change once registered.
 * Several base URLs may be given, comma-separated; the next one is tried when one cannot be
 * reached.
 */
public final class SchemaRegistryClient {

  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<URI> baseUrls;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final Optional<String> authorization;
  private final SingleFlightCache<Integer, Schema> schemasById = new SingleFlightCache<>();
  // Keyed by Schema, whose equals is structural and whose hash code Avro caches: cheap per record.
  private final Map<String, SingleFlightCache<Schema, Integer>> idsBySubjectAndSchema =
      new ConcurrentHashMap<>();

  /** A client with a 10 second request timeout and no authentication. */
  public SchemaRegistryClient(String baseUrls) {
    this(baseUrls, Duration.ofSeconds(10), null);
  }

  /**
   * @param baseUrls one or more registry URLs, comma-separated
   * @param requestTimeout how long one request may take before the next URL is tried
   * @param basicAuthUserInfo {@code user:password} for HTTP basic authentication, or null
   */
  public SchemaRegistryClient(String baseUrls, Duration requestTimeout, String basicAuthUserInfo) {
    if (baseUrls == null || baseUrls.isBlank()) {
      throw new IllegalArgumentException("No schema registry URL given");
    }
    List<URI> urls = new ArrayList<>();
    for (String url : baseUrls.split(",")) {
      String trimmed = url.trim().replaceAll("/+$", "");
      try {
        URI uri = URI.create(trimmed);
        if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
          throw new IllegalArgumentException("not an http(s) URL");
        }
        urls.add(uri);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Invalid schema registry URL '" + trimmed + "': " + e.getMessage(), e);
      }
    }
    this.baseUrls = List.copyOf(urls);
    this.requestTimeout = requestTimeout;
    this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
    this.authorization =
        Optional.ofNullable(basicAuthUserInfo)
            .filter(s -> !s.isBlank())
            .map(
                s ->
                    "Basic "
                        + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Registers {@code schema} under {@code subject} (or finds it there) and returns its global id.
   */
  public int register(String subject, Schema schema) {
    return cachedId(
        subject,
        schema,
        s ->
            send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(s))
                .path("id")
                .asInt());
  }

  /**
   * The global id of {@code schema} among the versions of {@code subject}, without registering it;
   * like {@link #lookup}, but answered from the cache once known.
   *
   * @throws SchemaRegistryException with 40401 or 40403 when it is not there
   */
  public int idOf(String subject, Schema schema) {
    return cachedId(
        subject,
        schema,
        s -> toRegistered(send("POST", "/subjects/" + encode(subject), schemaBody(s))).id());
  }

  private int cachedId(String subject, Schema schema, Function<Schema, Integer> ask) {
    int id = idsOf(subject).get(schema, ask);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  private SingleFlightCache<Schema, Integer> idsOf(String subject) {
    return idsBySubjectAndSchema.computeIfAbsent(subject, s -> new SingleFlightCache<>());
  }

  /**
   * Finds {@code schema} among the versions of {@code subject} without registering it.
   *
   * @throws SchemaRegistryException with 40401 or 40403 when it is not there
   */
  public RegisteredSchema lookup(String subject, Schema schema) {
    JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
    RegisteredSchema found = toRegistered(answer);
    idsOf(subject).putIfAbsent(schema, found.id());
    return found;
  }

  /** The schema with this global id. */
  public Schema getById(int id) {
    return schemasById.get(
        id, i -> parse(send("GET", "/schemas/ids/" + i, null).path("schema").asText()));
  }

  /** The latest version of a subject. */
  public RegisteredSchema getLatestVersion(String subject) {
    return toRegistered(send("GET", "/subjects/" + encode(subject) + "/versions/latest", null));
  }

  /** One version of a subject. */
  public RegisteredSchema getVersion(String subject, int version) {
    return toRegistered(send("GET", "/subjects/" + encode(subject) + "/versions/" + version, null));
  }

  /** The version numbers of a subject, oldest first. */
  public List<Integer> getVersions(String subject) {
    List<Integer> versions = new ArrayList<>();
    send("GET", "/subjects/" + encode(subject) + "/versions", null)
        .forEach(v -> versions.add(v.asInt()));
    return versions;
  }

  /** All subjects that have at least one version not deleted. */
  public List<String> getSubjects() {
    List<String> subjects = new ArrayList<>();
    send("GET", "/subjects", null).forEach(s -> subjects.add(s.asText()));
    return subjects;
  }

  /** Soft-deletes one version of a subject and returns its number. */
  public int deleteVersion(String subject, int version) {
    return send("DELETE", "/subjects/" + encode(subject) + "/versions/" + version, null).asInt();
  }

  /**
   * Whether {@code schema} could be registered as the next version of {@code subject} under the
   * subject's compatibility level.
   */
  public boolean isCompatible(String subject, Schema schema) {
    return send(
            "POST",
            "/compatibility/subjects/" + encode(subject) + "/versions/latest",
            schemaBody(schema))
        .path("is_compatible")
        .asBoolean();
  }

  /** The registry-wide compatibility level. */
  public CompatibilityLevel getCompatibility() {
    return levelOf(send("GET", "/config", null));
  }

  /** The level in force for a subject: its own, or the registry-wide one. */
  public CompatibilityLevel getCompatibility(String subject) {
    return levelOf(send("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null));
  }

  /** Sets the registry-wide compatibility level. */
  public void setCompatibility(CompatibilityLevel level) {
    send("PUT", "/config", compatibilityBody(level));
  }

  /** Sets the compatibility level of one subject. */
  public void setCompatibility(String subject, CompatibilityLevel level) {
    send("PUT", "/config/" + encode(subject), compatibilityBody(level));
  }

  private static String compatibilityBody(CompatibilityLevel level) {
    return JSON.createObjectNode().put("compatibility", level.name()).toString();
  }

  private static CompatibilityLevel levelOf(JsonNode answer) {
    JsonNode level =
        answer.has("compatibilityLevel")
            ? answer.get("compatibilityLevel")
            : answer.get("compatibility");
    return CompatibilityLevel.parse(level.asText());
  }

  private static String schemaBody(Schema schema) {
    ObjectNode body = JSON.createObjectNode();
    body.put("schema", schema.toString());
    return body.toString();
  }

  private RegisteredSchema toRegistered(JsonNode answer) {
    int id = answer.path("id").asInt();
    Schema schema = schemasById.get(id, i -> parse(answer.path("schema").asText()));
    return new RegisteredSchema(
        answer.path("subject").asText(), answer.path("version").asInt(), id, schema);
  }

  private static Schema parse(String text) {
    try {
      return new Schema.Parser().parse(text);
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException(
          200,
          SchemaRegistryException.INVALID_SCHEMA,
          "The registry returned a schema that does not parse: " + e.getMessage());
    }
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private JsonNode send(String method, String path, String body) {
    IOException lastFailure = null;
    for (URI base : baseUrls) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(requestTimeout)
              .header("Accept", CONTENT_TYPE + ", application/json")
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      if (body != null) {
        request.header("Content-Type", CONTENT_TYPE);
      }
      authorization.ifPresent(value -> request.header("Authorization", value));
      try {
        HttpResponse<String> response =
            http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return readAnswer(method, base + path, response);
      } catch (IOException e) {
        lastFailure = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException("Interrupted while calling the schema registry", e);
      }
    }
    throw new SchemaRegistryException(
        "Schema registry unreachable at " + baseUrls + ": " + lastFailure, lastFailure);
  }

  private static JsonNode readAnswer(String method, String url, HttpResponse<String> response) {
    JsonNode json;
    try {
      json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new SchemaRegistryException(
          response.statusCode(),
          response.statusCode(),
          method
              + " "
              + url
              + " answered with a body that is not JSON: "
              + abbreviate(response.body()));
    }
    if (response.statusCode() >= 200 && response.statusCode() < 300) {
      return json;
    }
    int code = json.path("error_code").asInt(response.statusCode());
    String message = json.path("message").asText(abbreviate(response.body()));
    throw new SchemaRegistryException(
        response.statusCode(), code, method + " " + url + ": " + message);
  }

  private static String abbreviate(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
