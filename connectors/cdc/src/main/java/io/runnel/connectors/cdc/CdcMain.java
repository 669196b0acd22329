package io.runnel.connectors.cdc;

import io.micronaut.context.ApplicationContext;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the CDC connector as its own process (a container beside Kafka): settings come from {@code
 * application.yml}, system properties or environment variables ({@code RUNNEL_CDC_DATABASE}, ...);
 * {@code runnel.cdc.enabled} is on. Stops cleanly on SIGTERM.
 */
public final class CdcMain {

  private CdcMain() {}

  public static void main(String[] args) throws InterruptedException {
    ApplicationContext context =
        ApplicationContext.builder()
            .properties(java.util.Map.of("runnel.cdc.enabled", "true"))
            .args(args)
            .start();
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
