package io.runnel.benchmarks;

import io.runnel.function.ConcurrencyPolicy;
import io.runnel.test.CapacityLimitedDownstream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs every contender on the same pre-produced data against one in-JVM broker, in rounds
 * (contenders interleaved), and prints a table: events/s of each run, the median's ratio to the
 * workload's baseline, CPU time per event, per-key order violations and the heap a run added
 * (post-GC, mid-run).
 *
 * <p>Two warm-up rounds come first: on two cores the JIT is still compiling the broker's and the
 * clients' paths through the first, and every contender's CPU per event falls by half between the
 * first and the third run.
 *
 * <p>The heap is measured in the last warm-up run only: measuring it forces a full collection in
 * the middle of the run, a pause as long as a fifth of a short run, so the timed rounds run
 * undisturbed.
 *
 * <p>A run's time is from the first event handled until the consumer group has committed every
 * event (or the contender's event budget): handling, acknowledged outputs and commits, so
 * at-least-once end to end, without start-up and group join, which vary between contenders but not
 * with load.
 */
@Command(name = "end-to-end-benchmark", mixinStandardHelpOptions = true)
public final class EndToEndBenchmark implements Callable<Integer> {

  @Option(names = "--events", description = "Events of workload A (default: ${DEFAULT-VALUE}).")
  int events = 1_000_000;

  @Option(
      names = "--io-events",
      description = "Events of each workload B (default: ${DEFAULT-VALUE}).")
  int ioEvents = 20_000;

  @Option(names = "--c-events", description = "Events of workload C (default: ${DEFAULT-VALUE}).")
  int downstreamEvents = 100_000;

  @Option(
      names = "--sequential-events",
      description =
          "Events the partition-sequential contender handles in B (default: ${DEFAULT-VALUE}).")
  int sequentialEvents = 2_000;

  @Option(
      names = "--rounds",
      description = "Rounds; contenders alternate within each (default: ${DEFAULT-VALUE}).")
  int rounds = 3;

  @Option(
      names = "--warmup-rounds",
      description =
          "Unreported rounds first, so the JIT has compiled every contender's path; the last one measures the heap (default: ${DEFAULT-VALUE}).")
  int warmupRounds = 2;

  @Option(
      names = "--workloads",
      split = ",",
      description = "A, B10k, B100, C (default: ${DEFAULT-VALUE}).")
  List<String> workloads = List.of("A", "B10k", "B100", "C");

  @Mixin ContenderFilter contenderFilter = new ContenderFilter();

  /**
   * One measured run; the heap it added is known only for a run that sampled it, the handler's p99
   * latency only for a workload that measures it (NaN otherwise).
   */
  record Run(
      double eventsPerSecond,
      double cpuMicrosPerEvent,
      long orderViolations,
      OptionalLong heapAddedMiB,
      double p99Millis) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new EndToEndBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path dataDir = Files.createTempDirectory("runnel-bench");
    try (BenchmarkCluster cluster = new BenchmarkCluster(dataDir)) {
      for (String name : workloads) {
        Workload workload =
            switch (name) {
              case "A" -> new Workload("A pass-through", "bench.a", 6, events, 10_000, 0);
              case "B10k" ->
                  new Workload("B 5 ms I/O, 10,000 keys", "bench.b10k", 1, ioEvents, 10_000, 5);
              case "B100" ->
                  new Workload("B 5 ms I/O, 100 keys", "bench.b100", 1, ioEvents, 100, 5);
              case "C" ->
                  new Workload(
                      "C downstream of capacity 50 (5 ms a call)",
                      "bench.c",
                      6,
                      downstreamEvents,
                      10_000,
                      0,
                      new CapacityLimitedDownstream(50, Duration.ofMillis(5)),
                      new Recorder(3));
              default ->
                  throw new CommandLine.ParameterException(
                      new CommandLine(this), "Unknown workload " + name);
            };
        List<Contender> contenders =
            name.equals("C")
                ? List.of(
                    RunnelContender.withConcurrency(ConcurrencyPolicy.FIXED),
                    RunnelContender.withConcurrency(ConcurrencyPolicy.ADAPTIVE))
                : name.equals("A")
                    ? List.of(
                        RawLoopContender.flushAndCommitPerPoll(),
                        new MicronautKafkaContender(false),
                        new MicronautKafkaContender(true),
                        new RunnelContender(),
                        RunnelContender.withConcurrency(ConcurrencyPolicy.ADAPTIVE),
                        RunnelContender.withMetricsOff())
                    : List.of(
                        new RawLoopContender("partition-sequential loop"),
                        new ParallelConsumerContender(),
                        new NaiveVirtualThreadContender(),
                        new RunnelContender(),
                        RunnelContender.withConcurrency(ConcurrencyPolicy.ADAPTIVE));
        contenders = contenders.stream().filter(contenderFilter::selects).toList();
        System.out.printf(
            "Producing %,d events for workload %s...%n", workload.events(), workload.name());
        cluster.produce(workload);
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        contenders.forEach(contender -> runs.put(contender.name(), new ArrayList<>()));
        Map<String, OptionalLong> heaps = new LinkedHashMap<>();
        for (int round = 1 - warmupRounds; round <= rounds; round++) {
          for (int turn = 0; turn < contenders.size(); turn++) {
            // Each round starts one contender later, so no contender always runs first (just
            // after the previous round's last one closed) and order does not bias the ratios.
            Contender contender = contenders.get(Math.floorMod(turn + round, contenders.size()));
            int target =
                contender instanceof RawLoopContender && workload.sleepMs() > 0
                    ? Math.min(sequentialEvents, workload.events())
                    : workload.events();
            Run run = measure(cluster, workload, contender, round, target, round == 0);
            System.out.printf(
                "  %s  %-45s %,12.0f events/s %8.1f µs CPU/event%n",
                round < 1 ? "warm-up" : "round " + round,
                contender.name(),
                run.eventsPerSecond(),
                run.cpuMicrosPerEvent());
            if (round >= 1) {
              runs.get(contender.name()).add(run);
            } else if (run.heapAddedMiB().isPresent()) {
              heaps.put(contender.name(), run.heapAddedMiB());
            }
          }
        }
        print(workload, runs, heaps);
      }
    }
    return 0;
  }

  /**
   * Runs {@code contender} on the workload with a fresh group until the group has committed {@code
   * target} events.
   */
  static Run measure(
      BenchmarkCluster cluster,
      Workload workload,
      Contender contender,
      int round,
      int target,
      boolean sampleHeap)
      throws Exception {
    String id =
        workload.topic()
            + "-"
            + contender.name().replaceAll("[^a-zA-Z]+", "-")
            + "-"
            + round
            + "-"
            + System.nanoTime();
    OrderChecker order = new OrderChecker(workload);
    long idleHeap = sampleHeap ? postGcHeapMiB() : 0;
    OptionalLong heapAdded = OptionalLong.empty();
    long cpuAtFirst = -1;
    long handledAtFirst = 0;
    if (workload.latencies() != null) {
      workload.latencies().reset();
    }
    try (AutoCloseable running =
        contender.start(workload, cluster, "group-" + id, "out-" + id, order)) {
      while (cluster.committed("group-" + id) < target) {
        // CPU is counted from the first look that finds an event handled, to leave out start-up.
        if (cpuAtFirst < 0 && order.handled() > 0) {
          handledAtFirst = order.handled();
          cpuAtFirst = processCpuNanos();
        }
        // Half handled: records are in flight, and a fast run is not over before the next look.
        if (sampleHeap && heapAdded.isEmpty() && order.handled() >= target / 2) {
          heapAdded = OptionalLong.of(postGcHeapMiB() - idleHeap);
        }
        Thread.sleep(10);
      }
      long elapsed = System.nanoTime() - order.firstHandledNanos();
      double cpuMicrosPerEvent =
          (processCpuNanos() - cpuAtFirst) / 1e3 / Math.max(1, target - handledAtFirst);
      double p99Millis =
          workload.latencies() == null
              ? Double.NaN
              : workload.latencies().getIntervalHistogram().getValueAtPercentile(99) / 1e6;
      return new Run(
          target * 1e9 / elapsed, cpuMicrosPerEvent, order.violations(), heapAdded, p99Millis);
    }
  }

  /** CPU time of the whole process: the contender, and the broker and registry beside it. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long postGcHeapMiB() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
  }

  private static void print(
      Workload workload, Map<String, List<Run>> runs, Map<String, OptionalLong> heaps) {
    double baseline = median(runs.values().iterator().next(), Run::eventsPerSecond);
    System.out.printf(
        "%n| workload %s | contender | events/s per run | median | ratio to first | CPU µs/event, median (whole process) | order violations | heap added mid-run, warm-up (MiB) | p99 handler latency, median (ms) |%n",
        workload.name());
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    runs.forEach(
        (name, list) ->
            System.out.printf(
                "| %s | %s | %s | %,.0f | %.2f× | %.1f | %d | %s | %s |%n",
                workload.name(),
                name,
                String.join(
                    ", ",
                    list.stream().map(r -> String.format("%,.0f", r.eventsPerSecond())).toList()),
                median(list, Run::eventsPerSecond),
                median(list, Run::eventsPerSecond) / baseline,
                median(list, Run::cpuMicrosPerEvent),
                list.stream().mapToLong(Run::orderViolations).sum(),
                heaps.getOrDefault(name, OptionalLong.empty()).stream()
                    .mapToObj(String::valueOf)
                    .findFirst()
                    .orElse("not sampled"),
                workload.latencies() == null
                    ? "-"
                    : String.format("%.1f", median(list, Run::p99Millis))));
    System.out.println();
  }

  private static double median(List<Run> runs, ToDoubleFunction<Run> measure) {
    double[] rates = runs.stream().mapToDouble(measure).sorted().toArray();
    return rates.length % 2 == 1
        ? rates[rates.length / 2]
        : (rates[rates.length / 2 - 1] + rates[rates.length / 2]) / 2;
  }
}
