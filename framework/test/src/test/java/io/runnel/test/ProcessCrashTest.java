package io.runnel.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a function process with SIGKILL five times while it works through 200,000 events, and
 * checks that every event reached the output topic (at-least-once: duplicates are allowed and
 * counted, losses are not).
 */
@RunnelTest(startContext = false)
class ProcessCrashTest {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessCrashTest.class);
  static final int KILLS = 5;

  @Test
  void killingTheFunctionProcessMidStreamLosesNothing(RunnelTestKit kit) throws Exception {
    CopyStream stream = new CopyStream(kit.bootstrapServers(), kit.registry(), 200_000);
    stream.produce();
    Path logs = Path.of("target", "crash-test");
    logs.toFile().mkdirs();
    for (int kill = 1; kill <= KILLS; kill++) {
      Process process = start(kit, logs.resolve("run-" + kill + ".log").toFile());
      stream.awaitOutputs((long) stream.events() * kill / (KILLS + 1), Duration.ofSeconds(90));
      process.destroyForcibly().waitFor();
      LOG.info(
          "Killed the function process (kill {}) after {} outputs", kill, stream.outputCount());
    }
    Process last = start(kit, logs.resolve("run-final.log").toFile());
    try {
      CopyStream.Outputs outputs = stream.readUntilComplete(Duration.ofSeconds(120));
      LOG.info(
          "{} events in, {} outputs out, {} distinct, {} duplicates",
          stream.events(),
          outputs.records(),
          outputs.distinct(),
          outputs.duplicates());
      assertThat(outputs.distinct())
          .as("distinct events that reached the output")
          .isEqualTo(stream.events());
    } finally {
      last.destroy();
      last.waitFor();
    }
  }

  static Process start(RunnelTestKit kit, File log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            CrashTestApp.class.getName(),
            kit.bootstrapServers(),
            kit.registryUrl())
        .redirectErrorStream(true)
        .redirectOutput(log)
        .start();
  }
}
