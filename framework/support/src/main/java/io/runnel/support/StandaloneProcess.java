package io.runnel.support;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.runtime.server.EmbeddedServer;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an application context as its own process (a connector in a container beside Kafka) until
 * SIGTERM, then closes it cleanly. Settings come from {@code application.yml}, system properties or
 * environment variables, after {@code properties}. The process serves {@code /health} on {@code
 * micronaut.server.port} (default 8080), so a container can be probed, and its meters as Prometheus
 * text at {@code /prometheus}, without authentication unless the application says otherwise.
 */
public final class StandaloneProcess {

  private static final Logger LOG = LoggerFactory.getLogger(StandaloneProcess.class);

  /**
   * Below {@code application.yml} (-300), so the application's settings win: Prometheus scrapes
   * anonymously, and a Micronaut endpoint is sensitive by default.
   */
  private static final PropertySource DEFAULTS =
      PropertySource.of(
          "runnel-standalone-defaults", Map.of("endpoints.prometheus.sensitive", false), -400);

  private StandaloneProcess() {}

  /**
   * Starts the context and blocks until the JVM is asked to stop. The shutdown hook is in place
   * before the context starts: functions handle records before the HTTP server is up, and a SIGTERM
   * in that window must still close them (their consumers leave their groups; otherwise the next
   * instance waits a session timeout for their partitions). It closes the context once it started.
   */
  public static void run(Map<String, Object> properties, String[] args)
      throws InterruptedException {
    CompletableFuture<ApplicationContext> started = new CompletableFuture<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    started.join().close();
                  } catch (CompletionException startFailed) {
                    // start(...) closed what it had started
                  }
                  stopped.countDown();
                }));
    try {
      started.complete(start(properties, args));
    } catch (RuntimeException e) {
      started.completeExceptionally(e);
      throw e;
    }
    stopped.await();
  }

  /** Starts the context and its HTTP server; closing the context stops both. */
  public static ApplicationContext start(Map<String, Object> properties, String[] args) {
    ApplicationContext context =
        ApplicationContext.builder()
            .propertySources(DEFAULTS)
            .properties(properties)
            .args(args)
            .start();
    try {
      EmbeddedServer server = context.getBean(EmbeddedServer.class);
      server.start();
      // Micronaut's own start-up line, so every image logs alike; timed from the JVM's start, as
      // a cold start is.
      LOG.info(
          "Startup completed in {}ms. Server Running: {}",
          ManagementFactory.getRuntimeMXBean().getUptime(),
          server.getURL());
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
    return context;
  }
}
