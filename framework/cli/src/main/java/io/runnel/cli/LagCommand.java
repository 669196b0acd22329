package io.runnel.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code runnel lag [FUNCTION]}: how far a function's consumer group is behind, per partition in
 * records (log end offset − committed offset) and in time (the age of the record at the committed
 * offset), its totals, and the replicas it needs for a target lag per replica.
 */
@Command(
    name = "lag",
    mixinStandardHelpOptions = true,
    header = "How far a function's consumer group is behind, and the replicas it needs.",
    description = {
      "Shows how far a function's consumer group is behind: per partition in records (log end"
          + " offset - committed offset) and in time (the age of the record at the committed"
          + " offset), the totals, and the replicas it needs (total lag / --target-lag, rounded"
          + " up, at least 1 while anything is behind, at most one per partition)."
    })
final class LagCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Parameters(
      arity = "0..1",
      paramLabel = "FUNCTION",
      description =
          "The function; its group is runnel-FUNCTION (Runnel's default) unless --group names"
              + " another. Without it and --group: every consumer group.")
  String function;

  @Option(
      names = "--group",
      paramLabel = "GROUP",
      description = "The consumer group (runnel.functions.<name>.group, @EventFunction(group)).")
  String group;

  @Option(
      names = "--target-lag",
      paramLabel = "RECORDS",
      defaultValue = "1000",
      description = "Records behind one replica may have (default ${DEFAULT-VALUE}).")
  long targetLag;

  @Option(names = "--watch", description = "Show it again every --interval until stopped.")
  boolean watch;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "How often --watch shows it (default ${DEFAULT-VALUE}).")
  Duration interval;

  @Override
  public Integer call() throws InterruptedException {
    if (targetLag < 1) {
      throw new ParameterException(spec.commandLine(), "--target-lag must be at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (Admin admin = kafka.admin()) {
      LagReader reader = new LagReader(admin, kafka, Clock.systemUTC());
      do {
        List<String> groups =
            group != null
                ? List.of(group)
                : function != null ? List.of("runnel-" + function) : reader.groups();
        if (groups.isEmpty()) {
          out.println("No consumer groups.");
        }
        for (String each : groups) {
          print(reader.read(each), out);
        }
        out.flush();
        if (watch) {
          Thread.sleep(interval.toMillis());
          out.println();
        }
      } while (watch);
    }
    return 0;
  }

  private void print(GroupLag lag, PrintWriter out) {
    out.printf("Group %s%n", lag.group());
    out.printf(
        "%-30s %9s %12s %12s %10s %10s%n",
        "TOPIC", "PARTITION", "COMMITTED", "LOG-END", "LAG", "LAG-TIME");
    for (GroupLag.PartitionLag partition : lag.partitions()) {
      out.printf(
          "%-30s %9d %12s %12d %10d %10s%n",
          partition.partition().topic(),
          partition.partition().partition(),
          partition.committed() == null ? "-" : partition.committed().toString(),
          partition.logEnd(),
          partition.lag(),
          partition.age() == null ? "-" : DurationConverter.format(partition.age()));
    }
    Duration oldest = lag.oldest();
    out.printf(
        "Total lag %d records, oldest %s; desired replicas %d (target lag %d, %d partitions)%n",
        lag.totalLag(),
        oldest == null ? "-" : DurationConverter.format(oldest),
        lag.desiredReplicas(targetLag),
        targetLag,
        lag.partitions().size());
  }
}
