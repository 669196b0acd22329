package io.runnel.connectors.http.internals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.runnel.connectors.http.ApiKeySettings;
import io.runnel.connectors.http.HttpGatewaySettings;
import io.runnel.connectors.http.HttpTrigger;
import io.runnel.registry.json.JsonToAvro;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes every POST, PUT and PATCH, finds its route and answers it, checking on the way, in this
 * order: the route exists (404, 405), the credentials (401, 403), the rate limit (429), the content
 * type (415), the size (413) and the JSON (400). Security is this controller's own, per route:
 * Micronaut Security only authenticates (JWT bearer tokens, API keys).
 */
@Controller
@Requires(property = "runnel.http.enabled", notEquals = "false")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
final class GatewayController {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayController.class);
  private static final String NDJSON = "application/x-ndjson";
  private static final Set<String> CONTENT_TYPES = Set.of(MediaType.APPLICATION_JSON, NDJSON);
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpGateway gateway;
  private final MeterRegistry meters;
  private final PrincipalRateLimiter rateLimiter;
  private final IdempotencyKeys idempotencyKeys;

  GatewayController(HttpGateway gateway, MeterRegistry meters, List<ApiKeySettings> apiKeys) {
    HttpGatewaySettings settings = gateway.settings();
    this.gateway = gateway;
    this.meters = meters;
    Map<String, Integer> ownRates = new HashMap<>();
    for (ApiKeySettings key : apiKeys) {
      if (key.getRateLimitPerSecond() != null) {
        ownRates.put(key.getName(), key.getRateLimitPerSecond());
      }
    }
    this.rateLimiter =
        new PrincipalRateLimiter(
            settings.getRateLimitPerSecond(), settings.getRateLimitBurst(), ownRates);
    this.idempotencyKeys =
        new IdempotencyKeys(settings.getIdempotencyWindow(), settings.getIdempotencyMaxKeys());
  }

  @Post(uri = "/{+path}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
  HttpResponse<String> post(
      HttpRequest<?> request,
      @Nullable @Body byte[] body,
      @Nullable Authentication authentication) {
    return handle(request, body, authentication);
  }

  @Put(uri = "/{+path}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
  HttpResponse<String> put(
      HttpRequest<?> request,
      @Nullable @Body byte[] body,
      @Nullable Authentication authentication) {
    return handle(request, body, authentication);
  }

  @Patch(uri = "/{+path}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
  HttpResponse<String> patch(
      HttpRequest<?> request,
      @Nullable @Body byte[] body,
      @Nullable Authentication authentication) {
    return handle(request, body, authentication);
  }

  private HttpResponse<String> handle(
      HttpRequest<?> request, byte[] body, Authentication authentication) {
    long started = System.nanoTime();
    String method = request.getMethodName();
    Optional<RouteTable.MatchedRoute> match = gateway.routes().match(method, request.getPath());
    Answer answer;
    try {
      answer =
          match.isEmpty()
              ? unmatched(method, request.getPath())
              : routed(match.get(), request, body, authentication);
    } catch (EventPublisher.UnavailableException e) {
      answer =
          Answer.problem(
              503, "Kafka unavailable", e.getMessage(), Map.of(HttpHeaders.RETRY_AFTER, "5"));
    } catch (SerializationException e) {
      LOG.error(
          "Route {}: the event could not be serialized: {}",
          match.map(m -> m.route().name()).orElse("?"),
          e.toString());
      answer = Answer.problem(500, "Event not serializable", e.getMessage());
    }
    Timer.builder("runnel.http.requests")
        .description("HTTP gateway requests, by route and status")
        .tag("route", match.map(m -> m.route().name()).orElse("unmatched"))
        .tag("method", method)
        .tag("status", Integer.toString(answer.status()))
        .publishPercentileHistogram()
        .register(meters)
        .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    return response(answer);
  }

  private Answer unmatched(String method, String path) {
    Set<String> allowed = gateway.routes().methodsFor(path);
    if (!allowed.isEmpty()) {
      return Answer.problem(
          405,
          "Method not allowed",
          method + " " + path + " has no route; it takes " + String.join(", ", allowed),
          Map.of(HttpHeaders.ALLOW, String.join(", ", allowed)));
    }
    return Answer.problem(
        404, "No route", "No route for " + method + " " + path + "; see GET /runnel/routes");
  }

  private Answer routed(
      RouteTable.MatchedRoute match,
      HttpRequest<?> request,
      byte[] body,
      Authentication authentication) {
    Route route = match.route();
    HttpGatewaySettings settings = gateway.settings();
    boolean presentedCredentials =
        request.getHeaders().contains(HttpHeaders.AUTHORIZATION)
            || request.getHeaders().contains(settings.getApiKeyHeader());
    if (authentication == null && (presentedCredentials || !route.roles().isEmpty())) {
      return Answer.problem(
          401,
          "Unauthorized",
          presentedCredentials
              ? "The credentials were not accepted (unknown API key, or an invalid or expired token)"
              : "Route "
                  + route.name()
                  + " needs a bearer token or an API key ("
                  + settings.getApiKeyHeader()
                  + ")",
          Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer"));
    }
    if (!route.roles().isEmpty()
        && Collections.disjoint(route.roles(), authentication.getRoles())) {
      return Answer.problem(
          403,
          "Forbidden",
          authentication.getName()
              + " may not call route "
              + route.name()
              + ": it needs one of the roles "
              + route.roles());
    }
    String principal =
        authentication != null
            ? authentication.getName()
            : "anonymous@" + request.getRemoteAddress().getAddress().getHostAddress();
    OptionalLong wait = rateLimiter.tryAcquire(principal);
    if (wait.isPresent()) {
      return Answer.problem(
          429,
          "Too many requests",
          principal + " is over its rate limit",
          Map.of(HttpHeaders.RETRY_AFTER, Long.toString(wait.getAsLong())));
    }
    String contentType = request.getContentType().map(MediaType::getName).orElse("");
    if (!CONTENT_TYPES.contains(contentType)) {
      return Answer.problem(
          415,
          "Unsupported media type",
          "Content-Type "
              + (contentType.isEmpty() ? "is missing" : contentType + " is not taken")
              + ": send application/json (one event or an array of them) or application/x-ndjson");
    }
    long length = body != null ? body.length : request.getContentLength();
    if (length > settings.getMaxBodySize()) {
      return Answer.problem(
          413,
          "Body too large",
          "The body has " + length + " bytes; the limit is " + settings.getMaxBodySize());
    }
    if (body == null || body.length == 0) {
      return Answer.problem(400, "Empty body", "The body is empty: send the event as JSON");
    }
    List<JsonNode> items;
    boolean batch;
    try {
      if (contentType.equals(NDJSON)) {
        items = ndjson(body);
        batch = true;
      } else {
        JsonNode json = JsonToAvro.parse(body);
        batch = json.isArray();
        items = batch ? list(json) : List.of(json);
      }
    } catch (JsonProcessingException e) {
      return Answer.problem(400, "Malformed JSON", malformed(e));
    } catch (IOException e) {
      throw new UncheckedIOException("Reading a body held in memory", e);
    }
    if (batch && route.mode() == HttpTrigger.Mode.REQUEST_REPLY) {
      return Answer.problem(
          400,
          "Batch not allowed",
          "Route " + route.name() + " answers one request with one reply: send one event");
    }
    if (items.size() > settings.getMaxBatchItems()) {
      return Answer.problem(
          413,
          "Batch too large",
          "The batch has " + items.size() + " items; the limit is " + settings.getMaxBatchItems());
    }
    String idempotencyKey = request.getHeaders().get("Idempotency-Key");
    if (idempotencyKey == null) {
      return ingest(match, request, items, batch, principal);
    }
    try {
      return idempotencyKeys.answer(
          principal + "\n" + route.method() + " " + route.path() + "\n" + idempotencyKey,
          HexFormat.of()
              .formatHex(
                  ApiKeyAuthenticationFetcher.sha256(new String(body, StandardCharsets.UTF_8))),
          () -> ingest(match, request, items, batch, principal));
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  private Answer ingest(
      RouteTable.MatchedRoute match,
      HttpRequest<?> request,
      List<JsonNode> items,
      boolean batch,
      String principal) {
    HttpHeaders headers = request.getHeaders();
    if (batch) {
      return gateway.acceptBatch(match, headers, items, principal);
    }
    return match.route().mode() == HttpTrigger.Mode.REQUEST_REPLY
        ? gateway.requestReply(match, headers, items.get(0), principal)
        : gateway.accept(match, headers, items.get(0), principal);
  }

  private static List<JsonNode> ndjson(byte[] body) throws JsonProcessingException {
    List<JsonNode> items = new ArrayList<>();
    String[] lines = new String(body, StandardCharsets.UTF_8).split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      try {
        items.add(JsonToAvro.parse(lines[i]));
      } catch (JsonProcessingException e) {
        throw new JsonProcessingException("line " + (i + 1) + ": " + e.getOriginalMessage()) {};
      }
    }
    return items;
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> items = new ArrayList<>(array.size());
    array.forEach(items::add);
    return items;
  }

  private static String malformed(JsonProcessingException e) {
    String where =
        e.getLocation() == null
            ? ""
            : " (line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr()
                + ")";
    return e.getOriginalMessage() + where;
  }

  private static MutableHttpResponse<String> response(Answer answer) {
    MutableHttpResponse<String> response = HttpResponse.status(HttpStatus.valueOf(answer.status()));
    answer.headers().forEach(response::header);
    try {
      response.body(JSON.writeValueAsString(answer.body()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A JSON tree is always writable", e);
    }
    response.contentType(answer.isProblem() ? Answer.PROBLEM_JSON : MediaType.APPLICATION_JSON);
    return response;
  }
}
