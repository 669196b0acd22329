package io.runnel.connectors.cdc;

import io.runnel.support.StandaloneProcess;
import java.util.Map;

/**
 * Runs the CDC connector as its own process (a container beside Kafka): settings come from {@code
 * application.yml}, system properties or environment variables ({@code RUNNEL_CDC_DATABASE}, ...);
 * {@code runnel.cdc.enabled} is on. Stops cleanly on SIGTERM.
 */
public final class CdcMain {

  private CdcMain() {}

  public static void main(String[] args) throws InterruptedException {
    StandaloneProcess.run(Map.of("runnel.cdc.enabled", "true"), args);
  }
}
