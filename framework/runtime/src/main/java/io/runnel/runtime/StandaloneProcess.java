package io.runnel.runtime;

import io.micronaut.context.ApplicationContext;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an application context as its own process (a connector in a container beside Kafka) until
 * SIGTERM, then closes it cleanly. Settings come from {@code application.yml}, system properties or
 * environment variables, after {@code properties}.
 */
public final class StandaloneProcess {

  private StandaloneProcess() {}

  /** Starts the context and blocks until the JVM is asked to stop. */
  public static void run(Map<String, Object> properties, String[] args)
      throws InterruptedException {
    ApplicationContext context =
        ApplicationContext.builder().properties(properties).args(args).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  context.close();
                  stopped.countDown();
                }));
    stopped.await();
  }
}
