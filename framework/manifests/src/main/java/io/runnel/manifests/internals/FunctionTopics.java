package io.runnel.manifests.internals;

import io.runnel.support.FunctionDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The topics one function reads and writes, as the runtime uses them: it reads its inputs and their
 * retry topics ({@code <input>.retry.<n>}), and writes its output topic, the dead-letter topic of
 * each input ({@code <input>.dlq} or the configured one) and the retry topics (a failed record
 * moves there). Each list in declaration order, without repeats.
 */
public record FunctionTopics(List<String> read, List<String> written) {

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
    return new FunctionTopics(List.copyOf(read), List.copyOf(written));
  }

  /** Every topic read or written, each once. */
  public List<String> all() {
    Set<String> all = new LinkedHashSet<>(read);
    all.addAll(written);
    return new ArrayList<>(all);
  }
}
