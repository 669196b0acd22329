package io.runnel.benchmarks;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The {@code --contenders} option of the runs that compare contenders: which ones to run. */
final class ContenderFilter {

  @Option(
      names = "--contenders",
      split = ",",
      description =
          "Only the contenders whose names contain one of these words, case ignored (default: all).")
  List<String> words = List.of();

  boolean selects(Contender contender) {
    String name = contender.name().toLowerCase(Locale.ROOT);
    return words.isEmpty()
        || words.stream().anyMatch(word -> name.contains(word.toLowerCase(Locale.ROOT)));
  }
}
