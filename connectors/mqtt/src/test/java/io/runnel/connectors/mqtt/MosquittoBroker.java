package io.runnel.connectors.mqtt;

import io.runnel.test.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Eclipse Mosquitto 2 process (the broker {@code deploy/mosquitto} ships), started from the
 * Debian package's binary on a free port with {@code deploy/mosquitto/mosquitto.conf}'s settings
 * and its own persistence folder. The build installs the package when it is missing ({@code
 * src/test/mosquitto/install.sh}); a missing binary fails the test rather than skipping it. With
 * {@code traced}, Mosquitto logs every packet it sends and receives to {@link #log()}.
 */
final class MosquittoBroker implements AutoCloseable {

  private static final List<Path> BINARIES =
      List.of(Path.of("/usr/sbin/mosquitto"), Path.of("/usr/local/sbin/mosquitto"));

  private final Path folder;
  private final int port;
  private final Process process;

  private MosquittoBroker(Path folder, int port, Process process) {
    this.folder = folder;
    this.port = port;
    this.process = process;
  }

  static MosquittoBroker start(boolean traced) {
    Path binary =
        BINARIES.stream()
            .filter(Files::isExecutable)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "Mosquitto is not installed (looked for "
                            + BINARIES
                            + "); the build installs it with connectors/mqtt/src/test/mosquitto/"
                            + "install.sh, or run: apt-get install mosquitto"));
    try {
      // Mosquitto started as root runs as the user "mosquitto": it must write the log and data.
      Path folder = writableByAll(Files.createTempDirectory("mosquitto"));
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Path conf = folder.resolve("mosquitto.conf");
      Files.writeString(conf, config(folder, port, traced));
      Process process =
          new ProcessBuilder(binary.toString(), "-c", conf.toString())
              .redirectErrorStream(true)
              .redirectOutput(folder.resolve("stdout.log").toFile())
              .start();
      MosquittoBroker broker = new MosquittoBroker(folder, port, process);
      broker.awaitListening();
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** deploy/mosquitto/mosquitto.conf, with this test's port and data folder. */
  private static String config(Path folder, int port, boolean traced) throws IOException {
    String shipped =
        Files.readString(Path.of("..", "..", "deploy", "mosquitto", "mosquitto.conf"))
            .replace("/mosquitto/data/", folder.resolve("data") + "/")
            .replace("listener 1883", "listener " + port + " 127.0.0.1");
    writableByAll(Files.createDirectories(folder.resolve("data")));
    String logging =
        "log_dest file "
            + folder.resolve("mosquitto.log")
            + "\n"
            + (traced ? "log_type all\n" : "log_type error\nlog_type warning\nlog_type notice\n");
    return shipped + "\n" + logging;
  }

  private static Path writableByAll(Path folder) throws IOException {
    return Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
  }

  private void awaitListening() {
    Await.until(
        "Mosquitto listening on " + port + " (see " + folder + ")",
        Duration.ofSeconds(20),
        () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("Mosquitto exited at start; see " + folder);
          }
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
          } catch (IOException notYet) {
            return false;
          }
        });
  }

  int port() {
    return port;
  }

  /** Mosquitto's own log (every packet when traced). */
  Path log() {
    return folder.resolve("mosquitto.log");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
