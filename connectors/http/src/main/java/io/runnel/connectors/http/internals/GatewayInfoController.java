package io.runnel.connectors.http.internals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

/** The route table and the OpenAPI document, under {@code /runnel}. */
@Controller("/runnel")
@Requires(property = "runnel.http.enabled", notEquals = "false")
@Secured(SecurityRule.IS_ANONYMOUS)
final class GatewayInfoController {

  private final HttpGateway gateway;

  GatewayInfoController(HttpGateway gateway) {
    this.gateway = gateway;
  }

  @Get(uri = "/routes", produces = MediaType.APPLICATION_JSON)
  String routes() throws JsonProcessingException {
    ArrayNode table = JsonNodeFactory.instance.arrayNode();
    for (Route route : gateway.routes().routes()) {
      ObjectNode row = table.addObject();
      row.put("name", route.name());
      row.put("method", route.method());
      row.put("path", route.path());
      row.put("topic", route.topic());
      row.put("schema", route.schema().getFullName());
      row.put("key", route.key().toString());
      row.put("mode", route.mode().name());
      route.roles().stream().sorted().forEach(row.putArray("roles")::add);
      row.put("replyTimeoutMs", route.replyTimeout().toMillis());
      row.put("source", route.source());
    }
    return GatewayController.JSON.writeValueAsString(table);
  }

  @Get(uri = "/openapi.json", produces = MediaType.APPLICATION_JSON)
  String openApi() {
    return OpenApiDocument.json(gateway.routes().routes(), gateway.settings().getApiKeyHeader());
  }
}
