package io.runnel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.registry.SchemaRegistryClient;
import io.runnel.test.Await;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scaling out and in across processes: three JVMs of one function join one by one while it works
 * through a backlog, then one leaves; every event reaches the output (at-least-once), each key's
 * events are handled in order, and the log gives the throughput with 1, 2 and 3 processes.
 *
 * <p>While a process starts and joins, the others copy slowly (1 s a copy), so it joins during the
 * backlog however slowly the machine starts a JVM; then, with every process assigned, the
 * throughput is measured over a tenth of the backlog. Each copy waits 1 ms (a remote call) with at
 * most 32 in flight per process, so that on a quiet machine a process's throughput is bound by its
 * concurrency, as an I/O-bound function's is, more than by the cores the processes, the broker and
 * the test share. The backlog is {@code runnel.test.multi-process.events} events: 60,000 in the
 * suite (three JVM starts take most of the time), the 300,000 with {@code -Pscale-test}.
 */
@RunnelTest(startContext = false)
class MultiProcessScalingTest {

  private static final Logger LOG = LoggerFactory.getLogger(MultiProcessScalingTest.class);
  static final int EVENTS = Integer.getInteger("runnel.test.multi-process.events", 60_000);
  static final int PARTITIONS = 6;
  static final int PROCESSES = 3;

  /** While this file exists the processes copy slowly: a starting process finds a backlog. */
  static final Path SLOW_WHILE = Path.of("target", "multi-process-test", "slow");

  static final Map<String, String> SETTINGS =
      Map.of(
          "runnel.test.handler-time", "1ms",
          "runnel.functions.copy.max-concurrency", "32",
          "runnel.test.slow-while", SLOW_WHILE.toAbsolutePath().toString());

  @Test
  void processesJoiningOneByOneAndOneLeavingLoseNoEventAndKeepKeyOrder(RunnelTestKit kit)
      throws Exception {
    CopyStream stream =
        new CopyStream(
            kit.bootstrapServers(), new SchemaRegistryClient(kit.registryUrl()), EVENTS, "scale");
    Path logs = Path.of("target", "multi-process-test");
    logs.toFile().mkdirs();
    List<Process> processes = new ArrayList<>();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrapServers()))) {
      admin
          .createTopics(Set.of(new NewTopic(stream.input(), PARTITIONS, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      stream.produce();
      double[] eventsPerSecond = new double[PROCESSES + 1];
      for (int count = 1; count <= PROCESSES; count++) {
        // However long a JVM takes to start on a busy machine, the others leave it a backlog.
        Files.writeString(SLOW_WHILE, "");
        processes.add(
            CrashTestApp.startProcess(
                CrashTestApp.class,
                kit,
                stream,
                false,
                logs.resolve("process-" + count + ".log").toFile(),
                SETTINGS));
        awaitPartitionsSpreadOver(admin, CrashTestApp.group(stream.input()), count);
        Files.delete(SLOW_WHILE);
        // Throughput with `count` processes: outputs over the next tenth of the backlog.
        long start = System.nanoTime();
        long atStart = stream.outputCount();
        stream.awaitOutputs(atStart + EVENTS / 10, Duration.ofSeconds(120));
        long outputs = stream.outputCount() - atStart;
        eventsPerSecond[count] = outputs * 1e9 / (System.nanoTime() - start);
        LOG.info(
            "{} process(es): {} events/s ({} outputs from offset {})",
            count,
            Math.round(eventsPerSecond[count]),
            outputs,
            atStart);
      }
      Process leaving = processes.getFirst();
      leaving.destroy(); // SIGTERM: it finishes and commits what it holds, then leaves the group
      assertThat(leaving.waitFor()).as("exit status of the process that left").isNotNegative();
      LOG.info("The first process left at {} outputs", stream.outputCount());
      assertThat(stream.outputCount()).as("outputs when one left").isLessThan(EVENTS);
      CopyStream.Outputs outputs = stream.readUntilComplete(Duration.ofSeconds(180));
      LOG.info(
          "{} events in, {} outputs out, {} distinct, {} duplicates, {} order violations; outputs"
              + " per process {}; events/s with 1, 2, 3 processes: {}, {}, {}",
          EVENTS,
          outputs.records(),
          outputs.distinct(),
          outputs.duplicates(),
          outputs.orderViolations(),
          outputs.byProcess(),
          Math.round(eventsPerSecond[1]),
          Math.round(eventsPerSecond[2]),
          Math.round(eventsPerSecond[3]));
      assertThat(outputs.distinct()).as("distinct events on the output").isEqualTo(EVENTS);
      assertThat(outputs.orderViolations()).as("per-key order violations").isZero();
      assertThat(outputs.byProcess()).as("outputs per handling process").hasSize(PROCESSES);
    } finally {
      Files.deleteIfExists(SLOW_WHILE);
      for (Process process : processes) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  /** Waits until the group has {@code members} members that share every partition. */
  private static void awaitPartitionsSpreadOver(Admin admin, String group, int members) {
    Await.until(
        members + " members sharing " + PARTITIONS + " partitions",
        Duration.ofSeconds(300),
        () -> members(admin, group),
        (Collection<MemberDescription> current) ->
            current.size() == members
                && current.stream()
                    .allMatch(member -> !member.assignment().topicPartitions().isEmpty())
                && current.stream()
                        .mapToInt(member -> member.assignment().topicPartitions().size())
                        .sum()
                    == PARTITIONS);
  }

  /** The group's members now; none while the group does not exist yet. */
  private static Collection<MemberDescription> members(Admin admin, String group) {
    try {
      return admin
          .describeConsumerGroups(List.of(group))
          .describedGroups()
          .get(group)
          .get(10, TimeUnit.SECONDS)
          .members();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return List.of();
      }
      throw new IllegalStateException("cannot describe group " + group, e);
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("cannot describe group " + group, e);
    }
  }
}
