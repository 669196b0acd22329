package io.runnel.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code runnel usage}: each function's usage over a time range (invocations, failures, busy time,
 * records and bytes in and out), summed over every instance's usage records in the usage topic.
 */
@Command(
    name = "usage",
    mixinStandardHelpOptions = true,
    description = "Prints each function's usage over a time range, from the usage topic.")
final class UsageCommand implements Callable<Integer> {

  enum Format {
    TABLE,
    CSV,
    JSON
  }

  private static final String[] COLUMNS = {
    "function",
    "invocations",
    "failures",
    "busy_seconds",
    "records_in",
    "bytes_in",
    "records_out",
    "bytes_out",
    "instances"
  };

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Option(
      names = "--registry-url",
      required = true,
      description = "The schema registry the usage records' schemas are in.")
  String registryUrl;

  @Option(
      names = "--topic",
      defaultValue = "runnel.usage",
      description = "The usage topic (runnel.usage.topic), default ${DEFAULT-VALUE}.")
  String topic;

  @Option(
      names = "--since",
      required = true,
      converter = TimePoint.class,
      description = "Start of the range: a duration back from now (1h, 30m, 7d) or an instant.")
  Instant since;

  @Option(
      names = "--until",
      converter = TimePoint.class,
      description = "End of the range (excluded), like --since; default now.")
  Instant until;

  @Option(names = "--function", description = "Only this function.")
  String function;

  @Option(
      names = "--format",
      defaultValue = "table",
      converter = FormatName.class,
      description = "table, csv or json; default ${DEFAULT-VALUE}.")
  Format format;

  @Override
  public Integer call() {
    Instant end = until == null ? Instant.now() : until;
    if (!since.isBefore(end)) {
      throw new ParameterException(
          spec.commandLine(), "--since (" + since + ") must be before --until (" + end + ")");
    }
    Map<String, UsageTotals> totals = new TreeMap<>();
    try (UsageTopicReader reader = new UsageTopicReader(kafka, registryUrl, topic)) {
      reader.read(
          since,
          end,
          record -> {
            if (function == null || function.equals(record.getFunction())) {
              totals.computeIfAbsent(record.getFunction(), UsageTotals::new).add(record);
            }
          });
      if (function != null && totals.isEmpty()) {
        if (!reader.everPublished(function)) {
          spec.commandLine()
              .getErr()
              .printf(
                  "runnel: no usage for function %s: no instance ever published usage of it to %s"
                      + " (is the name right?)%n",
                  function, topic);
          return 1;
        }
        totals.put(function, new UsageTotals(function)); // known, idle in this range
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    List<UsageTotals> rows = new ArrayList<>(totals.values());
    switch (format) {
      case TABLE -> printTable(out, rows, end);
      case CSV -> printCsv(out, rows);
      case JSON -> printJson(out, rows, end);
    }
    out.flush();
    return 0;
  }

  private static String[] cells(UsageTotals row) {
    return new String[] {
      row.function,
      Long.toString(row.invocations),
      Long.toString(row.failures),
      row.busySeconds(),
      Long.toString(row.recordsIn),
      Long.toString(row.bytesIn),
      Long.toString(row.recordsOut),
      Long.toString(row.bytesOut),
      Integer.toString(row.instances.size())
    };
  }

  private void printTable(PrintWriter out, List<UsageTotals> rows, Instant end) {
    out.printf("Usage from %s to %s (%s)%n", since, end, topic);
    if (rows.isEmpty()) {
      out.println("No usage in this range.");
      return;
    }
    List<String[]> lines = new ArrayList<>();
    lines.add(
        java.util.Arrays.stream(COLUMNS)
            .map(c -> c.toUpperCase(Locale.ROOT))
            .toArray(String[]::new));
    rows.forEach(row -> lines.add(cells(row)));
    int[] widths = new int[COLUMNS.length];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    for (String[] line : lines) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        // The function name left-aligned, the numbers right-aligned.
        String cell = i == 0 ? pad(line[i], widths[i], false) : pad(line[i], widths[i], true);
        text.append(i == 0 ? "" : "  ").append(cell);
      }
      out.println(text.toString().stripTrailing());
    }
  }

  private static String pad(String text, int width, boolean right) {
    String padding = " ".repeat(width - text.length());
    return right ? padding + text : text + padding;
  }

  private static void printCsv(PrintWriter out, List<UsageTotals> rows) {
    out.println(String.join(",", COLUMNS));
    for (UsageTotals row : rows) {
      String[] cells = cells(row);
      cells[0] = csvText(cells[0]);
      out.println(String.join(",", cells));
    }
  }

  /** A function name as a CSV field: quoted when it holds a comma, a quote or a line break. */
  private static String csvText(String text) {
    return text.matches("[^,\"\r\n]*") ? text : '"' + text.replace("\"", "\"\"") + '"';
  }

  private void printJson(PrintWriter out, List<UsageTotals> rows, Instant end) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode document = json.createObjectNode();
    document.put("topic", topic);
    document.put("since", since.toString());
    document.put("until", end.toString());
    ArrayNode functions = document.putArray("functions");
    for (UsageTotals row : rows) {
      ObjectNode node = functions.addObject();
      node.put("function", row.function);
      node.put("invocations", row.invocations);
      node.put("failures", row.failures);
      node.put("busySeconds", new BigDecimal(row.busySeconds()));
      node.put("recordsIn", row.recordsIn);
      node.put("bytesIn", row.bytesIn);
      node.put("recordsOut", row.recordsOut);
      node.put("bytesOut", row.bytesOut);
      node.put("instances", row.instances.size());
    }
    out.println(document.toPrettyString());
  }

  /** {@code --format}: table, csv or json, in any case. */
  static final class FormatName implements ITypeConverter<Format> {
    @Override
    public Format convert(String text) {
      try {
        return Format.valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + text + "' is not a format: use table, csv or json");
      }
    }
  }
}
