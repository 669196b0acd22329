package io.runnel.benchmarks;

import io.runnel.registry.serde.AvroSerializer;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What scaling out costs the events in flight: with steady input at half the capacity of one
 * instance, a second and then a third instance of a function join its group, and the end-to-end
 * latency (from an event's production to its handling) is recorded before and while each joins,
 * once per group protocol ({@code runnel.runtime.group-protocol}: classic with cooperative-sticky,
 * and KIP-848's consumer protocol). Prints a table of p50, p99 and maximum per phase.
 *
 * <p>The handler waits {@code --handler-ms} (a remote call) with at most {@code --max-concurrency}
 * in flight, so an instance's capacity is bound by its concurrency, not by the CPU the broker and
 * the instances share in this JVM. That capacity is measured first, on a backlog, with one
 * instance; the input rate is half of it. Each run has a topic and a group of its own; protocols
 * alternate in each round, the first one changing from round to round.
 */
@Command(name = "rebalance-latency-benchmark", mixinStandardHelpOptions = true)
public final class RebalanceLatencyBenchmark implements Callable<Integer> {

  @Option(names = "--protocols", split = ",", description = "(default: ${DEFAULT-VALUE}).")
  List<String> protocols = List.of("classic", "consumer");

  @Option(names = "--rounds", description = "Runs per protocol (default: ${DEFAULT-VALUE}).")
  int rounds = 3;

  @Option(
      names = "--settle-seconds",
      description = "Unreported seconds with one instance first (default: ${DEFAULT-VALUE}).")
  int settleSeconds = 10;

  @Option(
      names = "--phase-seconds",
      description =
          "Seconds of each phase: one instance, the second joining, the third joining (default: ${DEFAULT-VALUE}).")
  int phaseSeconds = 20;

  @Option(names = "--partitions", description = "(default: ${DEFAULT-VALUE}).")
  int partitions = 12;

  @Option(names = "--handler-ms", description = "Each event's wait (default: ${DEFAULT-VALUE}).")
  long handlerMillis = 5;

  @Option(
      names = "--max-concurrency",
      description = "Events in flight per instance (default: ${DEFAULT-VALUE}).")
  int maxConcurrency = 20;

  @Option(
      names = "--calibration-events",
      description =
          "Backlog on which one instance's capacity is measured (default: ${DEFAULT-VALUE}).")
  int calibrationEvents = 40_000;

  @Option(
      names = "--rate",
      description = "Events/s of the input; 0: half the measured capacity (default: 0).")
  double rate;

  private static final int KEYS = 10_000;
  private static final List<String> PHASES = List.of("one instance", "second joins", "third joins");

  /** One run's latencies, by phase. */
  record RunResult(
      String protocol, int round, Map<String, Histogram> phases, long handled, long violations) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new RebalanceLatencyBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    try (BenchmarkCluster cluster =
        new BenchmarkCluster(Files.createTempDirectory("runnel-bench-rebalance"))) {
      Workload calibration =
          new Workload(
              "capacity of one instance",
              "bench.rebalance.capacity",
              partitions,
              calibrationEvents,
              KEYS,
              handlerMillis);
      cluster.produce(calibration);
      double capacity =
          EndToEndBenchmark.measure(
                  cluster, calibration, instance("default"), 0, calibrationEvents, false)
              .eventsPerSecond();
      double inputRate = rate > 0 ? rate : capacity / 2;
      System.out.printf(
          "One instance (%d ms a call, %d in flight, %d partitions): %,.0f events/s on a backlog;"
              + " input at %,.0f events/s%n",
          handlerMillis, maxConcurrency, partitions, capacity, inputRate);
      List<RunResult> results = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        for (int turn = 0; turn < protocols.size(); turn++) {
          String protocol = protocols.get((turn + round - 1) % protocols.size());
          RunResult result = run(cluster, protocol, round, inputRate);
          results.add(result);
          System.out.printf(
              "  round %d %-9s %s%n",
              round,
              protocol,
              String.join(
                  ", ",
                  PHASES.stream()
                      .map(
                          phase ->
                              String.format(
                                  "%s p99 %d ms",
                                  phase, result.phases().get(phase).getValueAtPercentile(99)))
                      .toList()));
        }
      }
      print(results, inputRate);
    }
    return 0;
  }

  private RunnelContender instance(String protocol) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("runnel.functions.bench.max-concurrency", String.valueOf(maxConcurrency));
    if (!protocol.equals("default")) {
      settings.put("runnel.runtime.group-protocol", protocol);
    }
    return RunnelContender.withSettings("group protocol " + protocol, settings);
  }

  /**
   * One instance consumes the steady input, then a second and a third join, {@code phaseSeconds}
   * apart; the latencies of each phase are kept apart.
   */
  private RunResult run(BenchmarkCluster cluster, String protocol, int round, double inputRate)
      throws Exception {
    String id = "bench.rebalance." + protocol + "-" + round + "-" + System.nanoTime();
    Workload workload = new Workload(id, id, partitions, 0, KEYS, handlerMillis);
    cluster.createTopic(id, partitions);
    Recorder latencies = new Recorder(3);
    OrderChecker order = new OrderChecker(workload, latencies);
    RunnelContender contender = instance(protocol);
    Map<String, Histogram> phases = new LinkedHashMap<>();
    List<AutoCloseable> instances = new ArrayList<>();
    AtomicBoolean producing = new AtomicBoolean(true);
    Thread producer =
        Thread.ofPlatform()
            .name("steady-input")
            .start(() -> produceSteadily(cluster, workload, inputRate, producing));
    try {
      instances.add(contender.start(workload, cluster, "group-" + id, "out-" + id, order));
      TimeUnit.SECONDS.sleep(settleSeconds);
      latencies.reset();
      for (String phase : PHASES) {
        if (!phase.equals(PHASES.getFirst())) {
          instances.add(contender.start(workload, cluster, "group-" + id, "out-" + id, order));
        }
        TimeUnit.SECONDS.sleep(phaseSeconds);
        phases.put(phase, latencies.getIntervalHistogram());
      }
    } finally {
      producing.set(false);
      producer.join();
      for (AutoCloseable instance : instances.reversed()) {
        instance.close();
      }
    }
    return new RunResult(protocol, round, phases, order.handled(), order.violations());
  }

  /** Sends the workload's events at {@code eventsPerSecond}, each stamped with its send time. */
  private static void produceSteadily(
      BenchmarkCluster cluster,
      Workload workload,
      double eventsPerSecond,
      AtomicBoolean producing) {
    AvroSerializer serializer = cluster.serializer();
    int sent = 0;
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
      while (producing.get()) {
        long due = (long) ((System.nanoTime() - start) / 1e9 * eventsPerSecond);
        for (; sent < due; sent++) {
          var event = workload.event(sent, Instant.now());
          producer.send(
              new ProducerRecord<>(
                  workload.topic(),
                  event.getDeviceId().getBytes(),
                  serializer.serialize(workload.topic(), event)));
        }
        TimeUnit.MILLISECONDS.sleep(1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void print(List<RunResult> results, double inputRate) {
    System.out.printf(
        "%n| protocol | round | %s | events handled | order violations |%n",
        String.join(
            " | ", PHASES.stream().map(phase -> phase + ": p50 / p99 / max (ms)").toList()));
    System.out.println("|---|---|---|---|---|---|---|");
    for (RunResult result : results) {
      System.out.printf(
          "| %s | %d | %s | %,d | %d |%n",
          result.protocol(),
          result.round(),
          String.join(
              " | ",
              PHASES.stream().map(phase -> percentiles(result.phases().get(phase))).toList()),
          result.handled(),
          result.violations());
    }
    System.out.printf(
        "%nInput %,.0f events/s on %d partitions; median over rounds of the p99 while the second"
            + " and the third join:%n",
        inputRate, partitions);
    for (String protocol : protocols) {
      List<Long> joining =
          results.stream()
              .filter(result -> result.protocol().equals(protocol))
              .map(
                  result -> {
                    Histogram both = result.phases().get(PHASES.get(1)).copy();
                    both.add(result.phases().get(PHASES.get(2)));
                    return both.getValueAtPercentile(99);
                  })
              .sorted()
              .toList();
      System.out.printf(
          "  %-9s %d ms (runs: %s)%n", protocol, joining.get(joining.size() / 2), joining);
    }
  }

  private static String percentiles(Histogram histogram) {
    return String.format(
        "%d / %d / %d",
        histogram.getValueAtPercentile(50),
        histogram.getValueAtPercentile(99),
        histogram.getMaxValue());
  }
}
