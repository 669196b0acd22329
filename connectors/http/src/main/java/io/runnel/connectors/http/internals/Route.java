package io.runnel.connectors.http.internals;

import io.micronaut.http.uri.UriMatchTemplate;
import io.runnel.connectors.http.HttpTrigger;
import java.time.Duration;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * One route of the gateway: requests to {@code method} + {@code template} become events of {@code
 * schema} on {@code topic}.
 *
 * @param source where it was declared: {@code runnel.http.routes.<name>} or the function's method
 * @param replySchema what a request-reply function answers with, when known (for the OpenAPI
 *     document)
 */
record Route(
    String name,
    String method,
    UriMatchTemplate template,
    String topic,
    Schema schema,
    KeySource key,
    HttpTrigger.Mode mode,
    Set<String> roles,
    Duration replyTimeout,
    String source,
    Schema replySchema) {

  String path() {
    return template.toPathString();
  }
}
