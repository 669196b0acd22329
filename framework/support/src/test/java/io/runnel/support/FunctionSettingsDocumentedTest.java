package io.runnel.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's configuration table lists exactly the settings a function has. */
class FunctionSettingsDocumentedTest {

  private static final Pattern ROW =
      Pattern.compile("^\\| `runnel\\.functions\\.<name>\\.([a-z.-]+)` \\|", Pattern.MULTILINE);

  @Test
  void everyFunctionSettingIsARowOfTheReadmesConfigurationTable() throws IOException {
    String readme = Files.readString(Path.of("../../README.md"));
    Set<String> documented = new TreeSet<>();
    Matcher row = ROW.matcher(readme);
    while (row.find()) {
      documented.add(row.group(1));
    }

    assertThat(documented)
        .as("the runnel.functions.<name>.* rows of README.md's configuration table")
        .isEqualTo(FunctionDescriptors.settingKeys());
  }
}
