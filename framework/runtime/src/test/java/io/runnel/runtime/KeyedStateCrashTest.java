package io.runnel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.registry.SchemaRegistryClient;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a counting function's process (a separate JVM, {@link CountingTestApp}) with SIGKILL three
 * times while it counts 30,000 readings of 1,000 devices, restarts it each time (its stores restore
 * from their changelogs), and checks the final count of each device: exact with exactly-once, never
 * fewer than its readings with at-least-once.
 */
@RunnelTest(startContext = false)
class KeyedStateCrashTest {

  private static final Logger LOG = LoggerFactory.getLogger(KeyedStateCrashTest.class);
  private static final int KILLS = 3;
  private static final int EVENTS = 30_000;

  @Test
  void killedExactlyOnceFunctionCountsEveryReadingOnce(RunnelTestKit kit) throws Exception {
    CountedStream.Counts counts = killRepeatedly(kit, "state.crash.eos", true);
    assertThat(counts.last()).isEqualTo(CountedStream.every(EVENTS / 1000));
    assertThat(counts.emitted()).as("counts a read_committed reader sees").isEqualTo(EVENTS);
  }

  @Test
  void killedAtLeastOnceFunctionCountsEveryReadingAtLeastOnce(RunnelTestKit kit) throws Exception {
    CountedStream.Counts counts = killRepeatedly(kit, "state.crash.alo", false);
    assertThat(counts.last()).hasSize(1000);
    assertThat(counts.last().values())
        .allSatisfy(count -> assertThat(count).isGreaterThanOrEqualTo(EVENTS / 1000));
  }

  private CountedStream.Counts killRepeatedly(RunnelTestKit kit, String prefix, boolean exactlyOnce)
      throws Exception {
    CopyStream stream =
        new CopyStream(
            kit.bootstrapServers(), new SchemaRegistryClient(kit.registryUrl()), EVENTS, prefix);
    KeyedStateTest.createTopic(kit, stream.input(), 4, Map.of());
    stream.produce();
    Path logs = Path.of("target", "crash-test", prefix);
    logs.toFile().mkdirs();
    for (int kill = 1; kill <= KILLS; kill++) {
      Process process =
          start(kit, stream, exactlyOnce, logs.resolve("run-" + kill + ".log").toFile());
      try {
        // Generous: a function JVM starts slowly on a busy machine.
        stream.awaitOutputs((long) EVENTS * kill / (KILLS + 1), Duration.ofSeconds(300));
      } finally {
        process.destroyForcibly().waitFor();
      }
      LOG.info(
          "{}: killed the function process (kill {}) at {} outputs",
          prefix,
          kill,
          stream.outputCount());
    }
    Process last = start(kit, stream, exactlyOnce, logs.resolve("run-final.log").toFile());
    try {
      CountedStream counted = new CountedStream(stream);
      counted.awaitConsumed(EVENTS);
      CountedStream.Counts counts = counted.counts();
      LOG.info("{}: {} readings in, {} counts out", prefix, EVENTS, counts.emitted());
      return counts;
    } finally {
      last.destroyForcibly().waitFor();
    }
  }

  private static Process start(RunnelTestKit kit, CopyStream stream, boolean exactlyOnce, File log)
      throws IOException {
    return CrashTestApp.startProcess(
        CountingTestApp.class, kit, stream, exactlyOnce, log, Map.of());
  }
}
