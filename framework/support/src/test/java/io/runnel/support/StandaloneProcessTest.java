package io.runnel.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneProcessTest {

  @TempDir Path markers;

  /**
   * Found by the cold-start benchmark: a process stopped while still starting (its functions
   * already handling records) exited without closing them, so their consumers never left their
   * groups and the next instance waited ~40 s for their partitions.
   */
  @Test
  void aSigtermWhileStartingClosesTheContextOnceItHasStarted() throws Exception {
    Process process =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                SlowStartingProcess.class.getName(),
                markers.toString())
            .redirectErrorStream(true)
            .redirectOutput(markers.resolve("process.log").toFile())
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.exists(markers.resolve("started")) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(markers.resolve("started")).exists();

      process.destroy(); // SIGTERM, while a bean of the starting context is still being created
      Thread.sleep(500); // the JVM is shutting down: without a hook it would be gone by now
      Files.writeString(markers.resolve("go"), "go");

      assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(markers.resolve("closed"))
          .as(Files.readString(markers.resolve("process.log")))
          .exists();
    } finally {
      process.destroyForcibly();
    }
  }
}
