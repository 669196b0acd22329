package io.runnel.manifests.internals;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes manifests as YAML files (several objects in a file separated by {@code ---}), all or none:
 * every file is written to a fresh folder beside the output folder first, then moved into it, so
 * that a failure leaves the output folder as it was.
 */
public final class ManifestFiles {

  private static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .disable(YAMLGenerator.Feature.SPLIT_LINES)
              .build());

  private ManifestFiles() {}

  /**
   * Writes {@code files} (file name relative to {@code out}, to its objects) into {@code out},
   * replacing files of the same names and leaving others alone.
   *
   * @return the files written, in {@code out}
   */
  public static List<Path> write(Path out, Map<String, List<Map<String, Object>>> files)
      throws IOException {
    Path absolute = out.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempDirectory(parent, "." + absolute.getFileName() + "-");
    try {
      for (Map.Entry<String, List<Map<String, Object>>> file : files.entrySet()) {
        Path staged = staging.resolve(file.getKey());
        Files.createDirectories(staged.getParent());
        try (Writer writer = Files.newBufferedWriter(staged, StandardCharsets.UTF_8);
            SequenceWriter documents = YAML.writer().writeValues(writer)) {
          documents.writeAll(file.getValue());
        }
      }
      List<Path> written = new ArrayList<>();
      for (String name : files.keySet()) {
        Path target = absolute.resolve(name);
        Files.createDirectories(target.getParent());
        Files.move(staging.resolve(name), target, StandardCopyOption.REPLACE_EXISTING);
        written.add(target);
      }
      return written;
    } finally {
      deleteRecursively(staging);
    }
  }

  private static void deleteRecursively(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
