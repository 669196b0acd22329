package io.runnel.connectors.http.internals;

import io.micronaut.http.HttpHeaders;
import io.opentelemetry.context.propagation.TextMapGetter;

/** Reads a request's trace context ({@code traceparent}, {@code tracestate}) from its headers. */
final class RequestTraceHeaders {

  static final TextMapGetter<HttpHeaders> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpHeaders headers) {
          return headers.names();
        }

        @Override
        public String get(HttpHeaders headers, String name) {
          return headers == null ? null : headers.get(name);
        }
      };

  private RequestTraceHeaders() {}
}
