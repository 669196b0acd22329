package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The assembled distribution's launcher ({@code bin/runnel}), run as a user runs it. Runs in the
 * integration-test phase, after {@code package} assembled {@code target/runnel}.
 */
class RunnelDistributionTest {

  static final String HOME_PROPERTY = "runnel.distribution";

  @BeforeAll
  static void distributionAssembled() {
    // Set only by the integration-test execution of the build (-Dtest=... also runs it earlier).
    assumeTrue(System.getProperty(HOME_PROPERTY) != null, "runs after package");
  }

  /** What a process printed and returned. */
  record Run(int exit, String out, String err) {}

  static Run launch(String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty(HOME_PROPERTY), "bin", "runnel").toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("runnel", ".out");
    Path err = Files.createTempFile("runnel", ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    // The JDK running the tests (21+), which the launcher takes from JAVA_HOME.
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    int exit = builder.start().waitFor();
    return new Run(
        exit,
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void launcherPrintsTheHelp() throws Exception {
    Run run = launch("--help");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("Usage: runnel").contains("dlq replay").contains("lag");
  }

  @Test
  void launcherReportsAnUnreachableBrokerInOneLineWithoutTheClientLog() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    Run run = launch("lag", "--bootstrap-server", "localhost:" + closedPort, "--timeout", "1s");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().lines().toList())
        .containsExactly(
            "runnel: cannot reach Kafka at localhost:"
                + closedPort
                + ": no answer within 1s (check --bootstrap-server, and --command-config for"
                + " TLS/SASL)");
  }
}
