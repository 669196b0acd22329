package io.runnel.connectors.http;

import io.runnel.support.StandaloneProcess;
import java.util.Map;

/**
 * Runs the HTTP gateway as its own process (a container beside Kafka): the routes of {@code
 * runnel.http.routes.*}, with settings from {@code application.yml}, system properties or
 * environment variables ({@code RUNNEL_HTTP_ROUTES_READINGS_PATH}, ...); {@code
 * runnel.http.enabled} is on. A route's {@code schema} class must be on the classpath. Stops
 * cleanly on SIGTERM.
 */
public final class HttpGatewayMain {

  private HttpGatewayMain() {}

  public static void main(String[] args) throws InterruptedException {
    StandaloneProcess.run(Map.of("runnel.http.enabled", "true"), args);
  }
}
