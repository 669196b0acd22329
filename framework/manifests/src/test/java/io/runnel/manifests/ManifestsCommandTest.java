package io.runnel.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.cli.RunnelCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code runnel manifests} as a user runs it: the command starts {@link ManifestsMain} in a JVM of
 * its own on the app's classpath (here this module's test classpath: the test functions,
 * runnel-manifests and the runtime).
 */
class ManifestsCommandTest {

  @TempDir Path folder;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** {@code runnel manifests} on this JVM's classpath, into {@code out}, with {@code more}. */
  private int manifests(Path out, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "manifests",
                "--app",
                System.getProperty("java.class.path"),
                "--out",
                out.toString(),
                "--set",
                "micronaut.application.name=telemetry"));
    args.addAll(List.of(more));
    return runnel(args.toArray(String[]::new));
  }

  private int runnel(String... args) {
    CommandLine command = new CommandLine(new RunnelCli());
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(args);
  }

  @Test
  void writesTheManifestsOfTheAppOnTheClasspath() {
    Path manifests = folder.resolve("k8s");

    int exit =
        manifests(manifests, "--namespace", "iot", "--set", "runnel.runtime.topics.partitions=3");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains(manifests.resolve("deployment.yaml").toAbsolutePath().toString());
    assertThat(manifests.resolve("deployment.yaml")).content().contains("namespace: iot");
    assertThat(manifests.resolve("kafka-topics.yaml")).content().contains("partitions: 3");
    assertThat(manifests.resolve("scaled-object.yaml")).exists();
  }

  @Test
  void aSettingThatDoesNotValidateFailsNamingIt() {
    Path manifests = folder.resolve("k8s");

    int exit = manifests(manifests, "--set", "runnel.functions.temperature-alert.max-attempts=0");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("runnel.functions.temperature-alert.max-attempts");
    assertThat(manifests).doesNotExist();
  }

  @Test
  void anAppWithoutRunnelManifestsIsToldToAddIt() throws Exception {
    Path app = Files.createDirectories(folder.resolve("classes"));

    int exit =
        runnel("manifests", "--app", app.toString(), "--out", folder.resolve("k8s").toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("io.runnel:runnel-manifests");
  }
}
