package io.runnel.manifests.internals;

import io.runnel.support.FunctionDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The topics one function reads and writes, as the runtime uses them: its group reads its inputs
 * and their retry topics ({@code <input>.retry.<n>}), and it writes its output topic, the
 * dead-letter topic of each input ({@code <input>.dlq} or the configured one) and the retry topics
 * (a failed record moves there). Outside its group it writes and reads back (on restore) the
 * changelog of each keyed store ({@code <group>-<store>-changelog}), and reads each global table
 * whole; both are compacted. Each list in declaration order, without repeats.
 *
 * @param read what the function's consumer group reads
 * @param changelogs the compacted changelogs of its keyed stores, written and read back
 * @param globalTables the compacted topics it reads whole, read-only
 */
public record FunctionTopics(
    List<String> read, List<String> written, List<String> changelogs, List<String> globalTables) {

  /** The topics {@code function} reads and writes. */
  public static FunctionTopics of(FunctionDescriptor function) {
    Set<String> read = new LinkedHashSet<>(function.topics());
    Set<String> written = new LinkedHashSet<>();
    if (function.outputTopic() != null) {
      written.add(function.outputTopic());
    }
    for (String input : function.topics()) {
      written.add(function.deadLetterTopicFor(input));
      read.addAll(function.retryTopicsFor(input));
      written.addAll(function.retryTopicsFor(input));
    }
    List<String> changelogs = function.stores().stream().map(function::changelogTopicOf).toList();
    return new FunctionTopics(
        List.copyOf(read), List.copyOf(written), changelogs, List.copyOf(function.globalTables()));
  }

  /** Whether {@code topic} is compacted: a changelog or a global table. */
  public boolean compacted(String topic) {
    return changelogs.contains(topic) || globalTables.contains(topic);
  }

  /** Every topic read or written, each once. */
  public List<String> all() {
    Set<String> all = new LinkedHashSet<>(read);
    all.addAll(written);
    all.addAll(changelogs);
    all.addAll(globalTables);
    return new ArrayList<>(all);
  }
}
