package io.runnel.support;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A standalone process whose start-up hangs in a bean until a file appears, as a function handling
 * records before the HTTP server is up: {@code StandaloneProcessTest} stops it in that window.
 */
public final class SlowStartingProcess {

  private SlowStartingProcess() {}

  /** {@code args[0]}: the folder of the marker files. */
  public static void main(String[] args) throws InterruptedException {
    StandaloneProcess.run(
        Map.of(
            "runnel.test.suite",
            "slow-start",
            "runnel.test.markers",
            args[0],
            "micronaut.server.port",
            -1),
        new String[0]);
  }

  /** Writes {@code started}, waits for {@code go}, and writes {@code closed} when closed. */
  @Context
  @Requires(property = "runnel.test.suite", value = "slow-start")
  static class SlowBean {

    private final Path markers;

    SlowBean(@io.micronaut.context.annotation.Value("${runnel.test.markers}") String markers) {
      this.markers = Path.of(markers);
    }

    @PostConstruct
    void startSlowly() throws InterruptedException {
      touch("started");
      while (!Files.exists(markers.resolve("go"))) {
        Thread.sleep(20);
      }
    }

    @PreDestroy
    void close() {
      touch("closed");
    }

    private void touch(String name) {
      try {
        Files.writeString(markers.resolve(name), name);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
