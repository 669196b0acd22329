package io.runnel.connectors.cron;

import io.runnel.support.StandaloneProcess;
import java.util.Map;

/**
 * Runs the schedules as their own process (a container beside Kafka), when no function process
 * should carry them: settings from {@code application.yml}, system properties or environment
 * variables ({@code RUNNEL_SCHEDULES_NIGHTLY_CRON}, ...). Run two or more for failover. Stops
 * cleanly on SIGTERM, handing the firing over to a standby at once.
 */
public final class SchedulerMain {

  private SchedulerMain() {}

  public static void main(String[] args) throws InterruptedException {
    StandaloneProcess.run(Map.of(), args);
  }
}
