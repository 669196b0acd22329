package io.runnel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.registry.SchemaRegistryClient;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a function process (a separate JVM) with SIGKILL five times while it works through 200,000
 * events, restarts it each time, and checks what reached the output topic: every event, and in
 * exactly-once mode every event once.
 */
@RunnelTest(startContext = false)
class ProcessCrashTest {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessCrashTest.class);
  static final int KILLS = 5;
  static final int EVENTS = 200_000;

  @Test
  void killingAnAtLeastOnceFunctionMidStreamLosesNothing(RunnelTestKit kit) throws Exception {
    CopyStream.Outputs outputs = killRepeatedly(kit, "crash.alo", false);
    assertThat(outputs.distinct()).as("distinct events that reached the output").isEqualTo(EVENTS);
  }

  @Test
  void killingAnExactlyOnceFunctionMidStreamLosesAndDuplicatesNothing(RunnelTestKit kit)
      throws Exception {
    CopyStream.Outputs outputs = killRepeatedly(kit, "crash.eos", true);
    assertThat(outputs.distinct()).as("distinct events that reached the output").isEqualTo(EVENTS);
    assertThat(outputs.duplicates()).as("duplicates a read_committed reader sees").isZero();
  }

  private CopyStream.Outputs killRepeatedly(RunnelTestKit kit, String prefix, boolean exactlyOnce)
      throws Exception {
    CopyStream stream =
        new CopyStream(
            kit.bootstrapServers(), new SchemaRegistryClient(kit.registryUrl()), EVENTS, prefix);
    stream.produce();
    Path logs = Path.of("target", "crash-test", prefix);
    logs.toFile().mkdirs();
    for (int kill = 1; kill <= KILLS; kill++) {
      Process process =
          CrashTestApp.startProcess(
              CrashTestApp.class,
              kit,
              stream,
              exactlyOnce,
              logs.resolve("run-" + kill + ".log").toFile(),
              Map.of());
      stream.awaitOutputs((long) EVENTS * kill / (KILLS + 1), Duration.ofSeconds(90));
      process.destroyForcibly().waitFor();
      LOG.info(
          "{}: killed the function process (kill {}) at {} output offsets",
          prefix,
          kill,
          stream.outputCount());
    }
    Process last =
        CrashTestApp.startProcess(
            CrashTestApp.class,
            kit,
            stream,
            exactlyOnce,
            logs.resolve("run-final.log").toFile(),
            Map.of());
    try {
      CopyStream.Outputs outputs = stream.readUntilComplete(Duration.ofSeconds(120));
      LOG.info(
          "{}: {} events in, {} outputs out, {} distinct, {} duplicates",
          prefix,
          EVENTS,
          outputs.records(),
          outputs.distinct(),
          outputs.duplicates());
      return outputs;
    } finally {
      last.destroy();
      last.waitFor();
    }
  }
}
