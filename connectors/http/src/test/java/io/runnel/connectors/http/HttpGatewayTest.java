package io.runnel.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.ApplicationContext;
import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@RunnelTest(
    properties = {
      "micronaut.server.port=-1",
      "runnel.http.max-body-size=16KB",
      "runnel.http.max-batch-items=50",
      "runnel.http.routes.readings.path=/readings",
      "runnel.http.routes.readings.topic=http.readings",
      "runnel.http.routes.readings.schema=io.runnel.examples.iot.SensorReading",
      "runnel.http.routes.readings.key=body.deviceId",
      "runnel.http.routes.device-readings.method=PUT",
      "runnel.http.routes.device-readings.path=/devices/{deviceId}/readings",
      "runnel.http.routes.device-readings.topic=http.device-readings",
      "runnel.http.routes.device-readings.schema=io.runnel.examples.iot.SensorReading",
      "runnel.http.routes.device-readings.key=path.deviceId",
      "runnel.http.routes.commands.path=/devices/{deviceId}/commands",
      "runnel.http.routes.commands.topic=http.commands",
      "runnel.http.routes.commands.schema=io.runnel.examples.iot.DeviceCommand",
      "runnel.http.routes.commands.key=path.deviceId",
      "runnel.http.routes.commands.roles=operator",
      "runnel.http.api-keys.ops.sha256=3db69a339643b44b4ca61979135d2f59de0acec2884c533026f6607da41b6d23",
      "runnel.http.api-keys.ops.roles=operator",
      "runnel.http.api-keys.viewer.sha256=8ebc5dfa046da0c333bbe2a497cf9a6e186bf45ebd9751076567b4a16ae118eb",
      "runnel.http.api-keys.viewer.roles=viewer",
      "runnel.http.api-keys.limited.sha256=79a5f2e9c338bba3f1b9b6d12c6016b7cb5e3f93e17c84c49ce9b3d48a14ae58",
      "runnel.http.api-keys.limited.rate-limit-per-second=2",
      "micronaut.security.token.jwt.signatures.secret.generator.secret="
          + HttpGatewayTest.JWT_SECRET,
      "micronaut.security.token.jwt.signatures.secret.generator.jws-algorithm=HS256"
    })
class HttpGatewayTest {

  static final String JWT_SECRET = "a-test-secret-of-at-least-thirty-two-bytes-long!";
  private static final String OPERATOR_KEY = "operator-key-7f3a";
  private static final String VIEWER_KEY = "viewer-key-19c2";
  private static final String LIMITED_KEY = "limited-key-5b8e";

  private static GatewayClient http;

  @BeforeAll
  static void startServer(ApplicationContext context) {
    http = new GatewayClient(context);
  }

  private static String reading(String deviceId, double temperature) {
    return """
        {"deviceId": "%s", "timestamp": "2026-11-23T10:15:30.250Z", "temperatureC": %s}"""
        .formatted(deviceId, temperature);
  }

  private static ReceivedRecord storedAt(RunnelTestKit kit, JsonNode accepted) {
    return kit.awaitRecords(
            accepted.get("topic").asText(),
            1,
            r ->
                r.partition() == accepted.get("partition").asInt()
                    && r.offset() == accepted.get("offset").asLong())
        .get(0);
  }

  @Test
  void anAcceptedEventIsOnTheTopicDecodingToWhatWasSent(RunnelTestKit kit) {
    GatewayClient.Reply reply =
        http.post("/readings", reading("dev-accepted", 21.5).replace("}", ", \"humidity\": 40.5}"));

    assertThat(reply.status()).isEqualTo(202);
    assertThat(reply.json().get("topic").asText()).isEqualTo("http.readings");
    ReceivedRecord stored = storedAt(kit, reply.json());
    GenericRecord value = (GenericRecord) stored.value();
    assertThat(stored.key()).isEqualTo("dev-accepted");
    assertThat(value.get("deviceId").toString()).isEqualTo("dev-accepted");
    assertThat(value.get("timestamp"))
        .isEqualTo(Instant.parse("2026-11-23T10:15:30.250Z").toEpochMilli());
    assertThat(value.get("temperatureC")).isEqualTo(21.5);
    assertThat(value.get("humidity")).isEqualTo(40.5);
    assertThat(stored.header("runnel.http.route")).isEqualTo("readings");
  }

  @Test
  void missingOptionalFieldsTakeTheirDefaultAndPathVariablesBecomeTheKey(RunnelTestKit kit) {
    GatewayClient.Reply reply =
        http.send(
            http.request("/devices/dev-put-7/readings")
                .header("Content-Type", "application/json; charset=utf-8")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"deviceId\": \"dev-put-7\", \"timestamp\": 1763892930250, \"temperatureC\": 5}")));

    assertThat(reply.status()).isEqualTo(202);
    ReceivedRecord stored = storedAt(kit, reply.json());
    assertThat(stored.key()).isEqualTo("dev-put-7");
    assertThat(((GenericRecord) stored.value()).get("humidity")).isNull();
    assertThat(((GenericRecord) stored.value()).get("timestamp")).isEqualTo(1763892930250L);
  }

  @Test
  void badBodiesGet400NamingTheFieldAndWhatWasExpected() {
    GatewayClient.Reply malformed = http.post("/readings", "{\"deviceId\": \"d\", ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.header("Content-Type")).startsWith("application/problem+json");
    assertThat(malformed.json().get("title").asText()).isEqualTo("Malformed JSON");
    assertThat(malformed.json().get("detail").asText()).contains("line 1");

    GatewayClient.Reply missing =
        http.post("/readings", "{\"deviceId\": \"d\", \"timestamp\": \"2026-11-23T10:15:30Z\"}");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().get("field").asText()).isEqualTo("temperatureC");
    assertThat(missing.json().get("detail").asText()).contains("required", "a double");

    GatewayClient.Reply wrongType =
        http.post("/readings", reading("d", 1).replace("1.0", "\"hot\""));
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.json().get("field").asText()).isEqualTo("temperatureC");
    assertThat(wrongType.json().get("expected").asText()).isEqualTo("a double");
    assertThat(wrongType.json().get("detail").asText()).contains("got a string \"hot\"");

    GatewayClient.Reply badTime =
        http.post("/readings", reading("d", 1).replace("2026-11-23T10:15:30.250Z", "yesterday"));
    assertThat(badTime.status()).isEqualTo(400);
    assertThat(badTime.json().get("field").asText()).isEqualTo("timestamp");
    assertThat(badTime.json().get("detail").asText()).contains("ISO-8601");

    GatewayClient.Reply unknownField =
        http.post("/readings", reading("d", 1).replace("}", ", \"temprature\": 3}"));
    assertThat(unknownField.status()).isEqualTo(400);
    assertThat(unknownField.json().get("field").asText()).isEqualTo("temprature");

    GatewayClient.Reply unknownSymbol =
        http.send(
            http.request("/devices/d/commands")
                .header("Content-Type", "application/json")
                .header("X-API-Key", OPERATOR_KEY)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"deviceId\": \"d\", \"command\": \"SELF_DESTRUCT\", \"issuedAt\": \"2026-11-23T10:00:00Z\"}")));
    assertThat(unknownSymbol.status()).isEqualTo(400);
    assertThat(unknownSymbol.json().get("field").asText()).isEqualTo("command");
    assertThat(unknownSymbol.json().get("detail").asText())
        .contains("SELF_DESTRUCT", "[REBOOT, CALIBRATE, SET_INTERVAL]");
  }

  @Test
  void sizeContentTypeAndRoutesAreChecked() {
    String big = reading("d", 1).replace("}", ", \"pad\": \"" + "x".repeat(20_000) + "\"}");
    GatewayClient.Reply tooLarge = http.post("/readings", big);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.json().get("detail").asText()).contains("16384");

    String batch =
        IntStream.range(0, 51)
            .mapToObj(i -> reading("b" + i, i))
            .collect(Collectors.joining(",", "[", "]"));
    GatewayClient.Reply tooMany = http.post("/readings", batch);
    assertThat(tooMany.status()).isEqualTo(413);
    assertThat(tooMany.json().get("detail").asText()).contains("51 items", "50");

    GatewayClient.Reply text =
        http.send(
            http.request("/readings")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(reading("d", 1))));
    assertThat(text.status()).isEqualTo(415);
    assertThat(text.json().get("detail").asText()).contains("text/plain", "application/json");

    GatewayClient.Reply unknown = http.post("/nowhere", reading("d", 1));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("detail").asText()).contains("POST /nowhere");

    GatewayClient.Reply wrongMethod =
        http.send(
            http.request("/readings")
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(reading("d", 1))));
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.header("Allow")).isEqualTo("POST");
  }

  private static GatewayClient.Reply command(
      String deviceId, String headerName, String headerValue) {
    HttpRequest.Builder request =
        http.request("/devices/" + deviceId + "/commands")
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    """
                    {"deviceId": "%s", "command": "SET_INTERVAL", "issuedAt": "2026-11-23T10:00:00Z",
                     "parameters": {"intervalSeconds": "30"}}"""
                        .formatted(deviceId)));
    if (headerName != null) {
      request.header(headerName, headerValue);
    }
    return http.send(request);
  }

  private static String jwt(String subject, List<String> roles, Instant expires) throws Exception {
    SignedJWT token =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.HS256),
            new JWTClaimsSet.Builder()
                .subject(subject)
                .claim("roles", roles)
                .expirationTime(Date.from(expires))
                .build());
    token.sign(new MACSigner(JWT_SECRET));
    return token.serialize();
  }

  @Test
  void routesWithRolesNeedAnApiKeyOrTokenWithOneOfThem(RunnelTestKit kit) throws Exception {
    assertThat(command("c1", null, null).status()).isEqualTo(401);
    GatewayClient.Reply wrongKey = command("c1", "X-API-Key", "not-a-key");
    assertThat(wrongKey.status()).isEqualTo(401);
    assertThat(wrongKey.json().get("detail").asText()).contains("not accepted");
    assertThat(command("c1", "X-API-Key", VIEWER_KEY).status()).isEqualTo(403);
    String expired = jwt("alice", List.of("operator"), Instant.now().minusSeconds(60));
    assertThat(command("c1", "Authorization", "Bearer " + expired).status()).isEqualTo(401);
    String viewer = jwt("bob", List.of("viewer"), Instant.now().plusSeconds(600));
    GatewayClient.Reply forbidden = command("c1", "Authorization", "Bearer " + viewer);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.json().get("detail").asText()).contains("bob", "operator");

    GatewayClient.Reply byKey = command("c-key", "X-API-Key", OPERATOR_KEY);
    assertThat(byKey.status()).isEqualTo(202);
    ReceivedRecord stored = storedAt(kit, byKey.json());
    assertThat(stored.key()).isEqualTo("c-key");
    assertThat(stored.header("runnel.http.principal")).isEqualTo("ops");
    GenericRecord command = (GenericRecord) stored.value();
    assertThat(command.get("command").toString()).isEqualTo("SET_INTERVAL");
    assertThat(command.get("parameters").toString()).isEqualTo("{intervalSeconds=30}");

    String operator = jwt("alice", List.of("operator"), Instant.now().plusSeconds(600));
    GatewayClient.Reply byToken = command("c-jwt", "Authorization", "Bearer " + operator);
    assertThat(byToken.status()).isEqualTo(202);
    assertThat(storedAt(kit, byToken.json()).header("runnel.http.principal")).isEqualTo("alice");
  }

  @Test
  void aPrincipalOverItsRateGets429WithRetryAfter() {
    List<GatewayClient.Reply> replies =
        IntStream.range(0, 4)
            .mapToObj(
                i ->
                    http.send(
                        http.request("/readings")
                            .header("Content-Type", "application/json")
                            .header("X-API-Key", LIMITED_KEY)
                            .POST(HttpRequest.BodyPublishers.ofString(reading("limited", i)))))
            .toList();

    assertThat(replies.stream().map(GatewayClient.Reply::status)).contains(202, 429);
    GatewayClient.Reply limited =
        replies.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
    assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 2);
    // Another principal is not limited meanwhile.
    assertThat(http.post("/readings", reading("unlimited", 1)).status()).isEqualTo(202);
  }

  @Test
  void anIdempotencyKeyMakesRetriesProduceOneEvent(RunnelTestKit kit) {
    String deviceId = "idem-" + UUID.randomUUID();
    String key = UUID.randomUUID().toString();
    HttpRequest.Builder request =
        http.request("/readings")
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(reading(deviceId, 30)));

    GatewayClient.Reply first = http.send(request);
    GatewayClient.Reply retry = http.send(request);
    assertThat(first.status()).isEqualTo(202);
    assertThat(retry.status()).isEqualTo(202);
    assertThat(retry.json()).isEqualTo(first.json());
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");

    GatewayClient.Reply otherBody =
        http.send(
            http.request("/readings")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(reading(deviceId, 31))));
    assertThat(otherBody.status()).isEqualTo(422);

    // A later event of the same device, then: only one event of the retried request before it.
    GatewayClient.Reply marker = http.post("/readings", reading(deviceId, 99));
    List<ReceivedRecord> events =
        kit.awaitRecords(
            "http.readings",
            2,
            r ->
                r.value() != null
                    && ((GenericRecord) r.value()).get("deviceId").toString().equals(deviceId));
    assertThat(events)
        .extracting(r -> ((GenericRecord) r.value()).get("temperatureC"))
        .containsExactly(30.0, 99.0);
    assertThat(events.get(1).offset()).isEqualTo(marker.json().get("offset").asLong());
  }

  @Test
  void aBatchAnswersPerItemAndStoresTheValidOnes(RunnelTestKit kit) {
    String batchId = UUID.randomUUID().toString().substring(0, 8);
    String array =
        "["
            + reading("batch-" + batchId + "-0", 1)
            + ","
            + reading("batch-" + batchId + "-1", 2)
            + ", {\"deviceId\": \"x\"},"
            + reading("batch-" + batchId + "-3", 4)
            + "]";
    GatewayClient.Reply mixed = http.post("/readings", array);
    assertThat(mixed.status()).isEqualTo(207);
    assertThat(mixed.json().get("accepted").asInt()).isEqualTo(3);
    JsonNode items = mixed.json().get("items");
    assertThat(items.get(2).get("status").asInt()).isEqualTo(400);
    assertThat(items.get(2).get("field").asText()).isEqualTo("timestamp");
    assertThat(items.get(3).get("status").asInt()).isEqualTo(202);

    String ndjson =
        IntStream.range(0, 5)
                .mapToObj(i -> reading("ndjson-" + batchId + "-" + i, i))
                .collect(Collectors.joining("\n"))
            + "\n";
    GatewayClient.Reply all =
        http.send(
            http.request("/readings")
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(ndjson)));
    assertThat(all.status()).isEqualTo(202);
    assertThat(all.json().get("accepted").asInt()).isEqualTo(5);

    List<ReceivedRecord> stored =
        kit.awaitRecords(
            "http.readings",
            8,
            r ->
                r.value() != null
                    && ((GenericRecord) r.value()).get("deviceId").toString().contains(batchId));
    assertThat(stored)
        .extracting(r -> r.key())
        .containsExactlyInAnyOrder(
            "batch-" + batchId + "-0",
            "batch-" + batchId + "-1",
            "batch-" + batchId + "-3",
            "ndjson-" + batchId + "-0",
            "ndjson-" + batchId + "-1",
            "ndjson-" + batchId + "-2",
            "ndjson-" + batchId + "-3",
            "ndjson-" + batchId + "-4");
  }

  @Test
  void requestReplyAnswersWithTheFunctionsReturnValueOr504() {
    GatewayClient.Reply reply = http.post("/assess", reading("hot-1", 91.5));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("deviceId").asText()).isEqualTo("hot-1");
    assertThat(reply.json().get("temperatureC").asDouble()).isEqualTo(91.5);
    assertThat(reply.json().get("threshold").asDouble()).isEqualTo(80.0);
    assertThat(reply.json().get("timestamp").asText()).isEqualTo("2026-11-23T10:15:30.250Z");

    long started = System.nanoTime();
    GatewayClient.Reply silent = http.post("/assess", reading("silent", 20));
    assertThat(silent.status()).isEqualTo(504);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isBetween(Duration.ofMillis(1_400), Duration.ofSeconds(10));
    assertThat(silent.json().get("detail").asText()).contains("1500 ms");

    GatewayClient.Reply batch = http.post("/assess", "[" + reading("a", 1) + "]");
    assertThat(batch.status()).isEqualTo(400);
  }

  @Test
  void theRouteTableOpenApiMetricsAndHealthAreServed(ApplicationContext context) {
    http.post("/readings", reading("metrics", 1));

    GatewayClient.Reply routes = http.get("/runnel/routes");
    assertThat(routes.status()).isEqualTo(200);
    Map<String, JsonNode> byName =
        java.util.stream.StreamSupport.stream(routes.json().spliterator(), false)
            .collect(Collectors.toMap(r -> r.get("name").asText(), r -> r));
    assertThat(byName).containsKeys("readings", "device-readings", "commands", "assess");
    assertThat(byName.get("assess").get("mode").asText()).isEqualTo("REQUEST_REPLY");
    assertThat(byName.get("assess").get("source").asText()).contains("AssessmentFunction.assess");
    assertThat(byName.get("commands").get("roles").get(0).asText()).isEqualTo("operator");
    assertThat(byName.get("device-readings").get("key").asText()).isEqualTo("path.deviceId");

    GatewayClient.Reply openApi = http.get("/runnel/openapi.json");
    assertThat(openApi.status()).isEqualTo(200);
    JsonNode reading =
        openApi.json().at("/components/schemas/io.runnel.examples.iot.SensorReading");
    assertThat(reading.get("required"))
        .extracting(JsonNode::asText)
        .containsExactly("deviceId", "timestamp", "temperatureC");
    assertThat(reading.at("/properties/timestamp/format").asText()).isEqualTo("date-time");
    assertThat(
            openApi
                .json()
                .at("/paths/~1devices~1{deviceId}~1readings/put/parameters/0/name")
                .asText())
        .isEqualTo("deviceId");
    assertThat(
            openApi
                .json()
                .at("/paths/~1assess/post/responses/200/content/application~1json/schema/$ref")
                .asText())
        .endsWith("TemperatureAlert");
    assertThat(
            openApi
                .json()
                .at(
                    "/components/schemas/io.runnel.examples.iot.DeviceCommand/properties/command/enum"))
        .extracting(JsonNode::asText)
        .containsExactly("REBOOT", "CALIBRATE", "SET_INTERVAL");

    Timer accepted =
        context
            .getBean(MeterRegistry.class)
            .find("runnel.http.requests")
            .tags("route", "readings", "status", "202")
            .timer();
    assertThat(accepted).isNotNull();
    assertThat(accepted.count()).isPositive();

    assertThat(http.get("/health").status()).isEqualTo(200);
  }
}
