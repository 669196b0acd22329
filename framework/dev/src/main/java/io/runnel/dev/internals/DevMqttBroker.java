package io.runnel.dev.internals;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The dev MQTT broker: HiveMQ Community Edition in this JVM (MQTT 3.1.1 and 5), on localhost,
 * letting every client in without credentials. Sessions, queued and retained messages are kept in
 * its data directory, so they survive a restart of dev mode.
 */
public final class DevMqttBroker implements AutoCloseable {

  private final EmbeddedHiveMQ hivemq;
  private final int port;

  private DevMqttBroker(EmbeddedHiveMQ hivemq, int port) {
    this.hivemq = hivemq;
    this.port = port;
  }

  /** Starts the broker on {@code port}, keeping its state under {@code dataDir}. */
  public static DevMqttBroker start(Path dataDir, int port) {
    Path conf = dataDir.resolve("conf");
    try {
      Files.createDirectories(conf);
      Files.createDirectories(dataDir.resolve("extensions"));
      Files.createDirectories(dataDir.resolve("data"));
      Files.writeString(
          conf.resolve("config.xml"),
          """
          <hivemq>
            <listeners>
              <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
            </listeners>
            <persistence><mode>file</mode></persistence>
            <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
          </hivemq>
          """
              .formatted(port));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the MQTT broker's configuration in " + conf, e);
    }
    EmbeddedHiveMQ hivemq =
        EmbeddedHiveMQ.builder()
            .withConfigurationFolder(conf)
            .withDataFolder(dataDir.resolve("data"))
            .withExtensionsFolder(dataDir.resolve("extensions"))
            .withEmbeddedExtension(allowEveryone())
            .build();
    try {
      hivemq.start().join();
    } catch (CompletionException e) {
      close(hivemq);
      throw new IllegalStateException(
          "The MQTT broker did not start on port " + port + ": " + e.getCause().getMessage(),
          e.getCause());
    }
    return new DevMqttBroker(hivemq, port);
  }

  public int port() {
    return port;
  }

  /** The address clients connect to, e.g. {@code tcp://localhost:1883}. */
  public String url() {
    return "tcp://localhost:" + port;
  }

  @Override
  public void close() {
    close(hivemq);
  }

  private static void close(EmbeddedHiveMQ hivemq) {
    try {
      hivemq.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while stopping the MQTT broker", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("The MQTT broker did not stop cleanly", e.getCause());
    }
  }

  /** HiveMQ refuses every client unless an authenticator is registered: this one lets all in. */
  private static EmbeddedExtension allowEveryone() {
    return EmbeddedExtension.builder()
        .withId("runnel-dev-allow-all")
        .withName("Runnel dev: every client may connect")
        .withVersion("1")
        .withPriority(0)
        .withStartPriority(1000)
        .withAuthor("runnel")
        .withExtensionMain(
            new ExtensionMain() {
              @Override
              public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
                Services.securityRegistry()
                    .setAuthenticatorProvider(
                        provider ->
                            (SimpleAuthenticator)
                                (auth, result) -> result.authenticateSuccessfully());
              }

              @Override
              public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {}
            })
        .build();
  }
}
