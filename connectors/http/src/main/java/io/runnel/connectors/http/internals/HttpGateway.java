package io.runnel.connectors.http.internals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.http.HttpHeaders;
import io.runnel.connectors.http.HttpGatewaySettings;
import io.runnel.connectors.http.HttpRouteSettings;
import io.runnel.connectors.http.HttpTrigger;
import io.runnel.function.RunnelHeaders;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.json.AvroToJson;
import io.runnel.registry.json.InvalidEventException;
import io.runnel.registry.json.JsonToAvro;
import io.runnel.registry.serde.AvroDeserializer;
import io.runnel.support.InstanceSettings;
import io.runnel.support.KafkaSettings;
import io.runnel.support.RecordTracing;
import io.runnel.support.SchemaRegistrySettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The gateway's state and what it does with a request that reached a route: convert the JSON to the
 * route's Avro record, produce it, and answer once Kafka stored it (or with the function's reply).
 * Started with the application: the routes are checked, the producer and (for request-reply routes)
 * the reply listener are created.
 */
@Singleton
@Requires(property = "runnel.http.enabled", notEquals = "false")
final class HttpGateway implements ApplicationEventListener<StartupEvent>, AutoCloseable {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final HttpGatewaySettings settings;
  private final List<HttpRouteSettings> routeSettings;
  private final HttpTriggerCatalog triggers;
  private final KafkaSettings kafka;
  private final SchemaRegistrySettings registrySettings;
  private final InstanceSettings instance;
  private final RecordTracing tracing;
  private volatile RouteTable routes;
  private EventPublisher publisher;
  private ReplyListener replies;
  private AvroDeserializer replyDecoder;

  HttpGateway(
      HttpGatewaySettings settings,
      List<HttpRouteSettings> routeSettings,
      HttpTriggerCatalog triggers,
      KafkaSettings kafka,
      SchemaRegistrySettings registrySettings,
      InstanceSettings instance,
      RecordTracing tracing) {
    this.settings = settings;
    this.routeSettings = routeSettings;
    this.triggers = triggers;
    this.kafka = kafka;
    this.registrySettings = registrySettings;
    this.instance = instance;
    this.tracing = tracing;
  }

  @Override
  public synchronized void onApplicationEvent(StartupEvent event) {
    if (routes != null) {
      return;
    }
    settings.validate();
    kafka.validate();
    registrySettings.validate();
    SchemaRegistryClient registry = registrySettings.newClient();
    RouteTable table = RouteTable.build(routeSettings, triggers.functions(), registry);
    publisher =
        new EventPublisher(
            kafka,
            registry,
            registrySettings.isAutoRegisterSchemas(),
            settings.getProduceTimeout());
    if (table.routes().stream().anyMatch(r -> r.mode() == HttpTrigger.Mode.REQUEST_REPLY)) {
      String topic =
          settings.getReplyTopic() != null
              ? settings.getReplyTopic()
              : "runnel-http-replies-" + instance.getInstanceId();
      replies = new ReplyListener(kafka, topic);
      replyDecoder = new AvroDeserializer(registry, null, false);
    }
    routes = table;
  }

  /** The routes; empty until the application started. */
  RouteTable routes() {
    RouteTable table = routes;
    if (table == null) {
      throw new IllegalStateException("The HTTP gateway has not started yet");
    }
    return table;
  }

  HttpGatewaySettings settings() {
    return settings;
  }

  /** One event: 202 with its coordinates once Kafka stored it. */
  Answer accept(
      RouteTable.MatchedRoute match, HttpHeaders headers, JsonNode body, String principal) {
    EventPublisher.Event event;
    try {
      event = event(match, headers, body, principal, List.of());
    } catch (InvalidEventException e) {
      return Answer.invalid(e);
    }
    return Answer.of(202, stored(publisher.await(publisher.send(event))));
  }

  /**
   * Many events, each checked and produced on its own: 202 when all were stored, otherwise 207 with
   * each item's status (or the shared status when every item failed the same way).
   */
  Answer acceptBatch(
      RouteTable.MatchedRoute match, HttpHeaders headers, List<JsonNode> items, String principal) {
    List<Object> outcomes = new ArrayList<>(items.size());
    for (JsonNode item : items) {
      try {
        outcomes.add(publisher.send(event(match, headers, item, principal, List.of())));
      } catch (InvalidEventException e) {
        outcomes.add(Answer.invalid(e));
      } catch (EventPublisher.UnavailableException e) {
        outcomes.add(Answer.problem(503, "Kafka unavailable", e.getMessage()));
      }
    }
    ArrayNode results = NODES.arrayNode();
    int accepted = 0;
    Set<Integer> statuses = new HashSet<>();
    for (int i = 0; i < outcomes.size(); i++) {
      Answer answer;
      if (outcomes.get(i) instanceof Future<?> sent) {
        try {
          @SuppressWarnings("unchecked")
          Future<RecordMetadata> metadata = (Future<RecordMetadata>) sent;
          answer = Answer.of(202, stored(publisher.await(metadata)));
        } catch (EventPublisher.UnavailableException e) {
          answer = Answer.problem(503, "Kafka unavailable", e.getMessage());
        }
      } else {
        answer = (Answer) outcomes.get(i);
      }
      ObjectNode result = ((ObjectNode) answer.body()).deepCopy();
      result.put("index", i);
      result.put("status", answer.status());
      results.add(result);
      accepted += answer.status() == 202 ? 1 : 0;
      statuses.add(answer.status());
    }
    ObjectNode body = NODES.objectNode();
    body.put("accepted", accepted);
    body.put("rejected", items.size() - accepted);
    body.set("items", results);
    return Answer.of(statuses.size() == 1 ? statuses.iterator().next() : 207, body);
  }

  /** One event, answered with what the function returned for it, or 504 after the timeout. */
  Answer requestReply(
      RouteTable.MatchedRoute match, HttpHeaders headers, JsonNode body, String principal) {
    String correlationId = UUID.randomUUID().toString();
    EventPublisher.Event event;
    try {
      event =
          event(
              match,
              headers,
              body,
              principal,
              List.of(
                  new RecordHeader(
                      RunnelHeaders.REPLY_TOPIC, replies.topic().getBytes(StandardCharsets.UTF_8)),
                  new RecordHeader(
                      RunnelHeaders.CORRELATION_ID,
                      correlationId.getBytes(StandardCharsets.UTF_8))));
    } catch (InvalidEventException e) {
      return Answer.invalid(e);
    }
    CompletableFuture<byte[]> reply = replies.expect(correlationId);
    try {
      publisher.await(publisher.send(event));
    } catch (RuntimeException e) {
      replies.forget(correlationId);
      throw e;
    }
    Route route = match.route();
    Optional<byte[]> value = replies.await(correlationId, reply, route.replyTimeout());
    if (value.isEmpty()) {
      return Answer.problem(
          504,
          "No reply",
          "The event was stored, but no reply came from the function within "
              + route.replyTimeout().toMillis()
              + " ms");
    }
    GenericRecord decoded = (GenericRecord) replyDecoder.deserialize(replies.topic(), value.get());
    return Answer.of(200, AvroToJson.convert(decoded))
        .withHeader("Runnel-Correlation-Id", correlationId);
  }

  /**
   * The event for one body: its key, its headers (the route, the principal, {@code extraHeaders}),
   * and a trace that continues the request's {@code traceparent}, or starts with it.
   */
  private EventPublisher.Event event(
      RouteTable.MatchedRoute match,
      HttpHeaders headers,
      JsonNode body,
      String principal,
      List<Header> extraHeaders) {
    Route route = match.route();
    GenericRecord value = JsonToAvro.convert(route.schema(), body);
    String key = route.key().extract(body, match.pathVariables(), headers);
    Headers recordHeaders = new RecordHeaders(extraHeaders.toArray(Header[]::new));
    recordHeaders.add(
        new RecordHeader("runnel.http.route", route.name().getBytes(StandardCharsets.UTF_8)));
    if (principal != null) {
      recordHeaders.add(
          new RecordHeader("runnel.http.principal", principal.getBytes(StandardCharsets.UTF_8)));
    }
    tracing.startEvent(
        route.topic(), tracing.extract(headers, RequestTraceHeaders.GETTER), recordHeaders);
    return new EventPublisher.Event(route.topic(), key, value, recordHeaders);
  }

  private static ObjectNode stored(RecordMetadata metadata) {
    ObjectNode body = NODES.objectNode();
    body.put("topic", metadata.topic());
    body.put("partition", metadata.partition());
    body.put("offset", metadata.offset());
    return body;
  }

  @PreDestroy
  @Override
  public synchronized void close() {
    if (replies != null) {
      replies.close();
    }
    if (publisher != null) {
      publisher.close();
    }
  }
}
