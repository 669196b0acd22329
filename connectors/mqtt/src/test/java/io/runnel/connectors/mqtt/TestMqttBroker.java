package io.runnel.connectors.mqtt;

import com.codahale.metrics.MetricFilter;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real MQTT 3.1.1 / 5 broker (HiveMQ Community Edition, embedded) in the test JVM, one for all
 * test classes, on a free port. Sessions live in memory; queues hold up to a million messages per
 * client. Clients connect anonymously, or as {@value #USER} with {@value #PASSWORD}; any other
 * credentials are refused.
 */
final class TestMqttBroker {

  static final String USER = "runnel";
  static final String PASSWORD = "s3cret";

  private static TestMqttBroker shared;

  static final String STORE_PASSWORD = "changeit";

  private final Path folder;
  private final int port;
  private final int tlsPort;
  private final Path trustStore;
  private EmbeddedHiveMQ hivemq;

  private TestMqttBroker() {
    try (ServerSocket socket = new ServerSocket(0);
        ServerSocket tlsSocket = new ServerSocket(0)) {
      port = socket.getLocalPort();
      tlsPort = tlsSocket.getLocalPort();
      Path folder = Files.createTempDirectory("hivemq");
      Path conf = Files.createDirectories(folder.resolve("conf"));
      Path keyStore = folder.resolve("broker.p12");
      trustStore = folder.resolve("trust.p12");
      createCertificates(keyStore, trustStore);
      Files.writeString(
          conf.resolve("config.xml"),
          """
          <hivemq>
            <listeners>
              <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
              <tls-tcp-listener>
                <port>%d</port><bind-address>127.0.0.1</bind-address>
                <tls>
                  <keystore>
                    <path>%s</path><password>%s</password><private-key-password>%s</private-key-password>
                  </keystore>
                </tls>
              </tls-tcp-listener>
            </listeners>
            <persistence><mode>in-memory</mode></persistence>
            <mqtt>
              <queued-messages><max-queue-size>1000000</max-queue-size></queued-messages>
            </mqtt>
            <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
          </hivemq>
          """
              .formatted(port, tlsPort, keyStore, STORE_PASSWORD, STORE_PASSWORD));
      this.folder = folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    start();
  }

  static synchronized TestMqttBroker shared() {
    if (shared == null) {
      shared = new TestMqttBroker();
    }
    return shared;
  }

  int port() {
    return port;
  }

  /**
   * The TLS listener's port; its certificate (CN and SAN localhost) is in {@link #trustStore()}.
   */
  int tlsPort() {
    return tlsPort;
  }

  /**
   * A PKCS12 trust store with the broker's self-signed certificate, password {@value
   * #STORE_PASSWORD}.
   */
  Path trustStore() {
    return trustStore;
  }

  /** A self-signed key pair for the broker and a trust store with its certificate, by keytool. */
  private static void createCertificates(Path keyStore, Path trustStore) throws IOException {
    Path certificate = keyStore.resolveSibling("broker.crt");
    keytool(
        "-genkeypair",
        "-alias",
        "broker",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=dns:localhost,ip:127.0.0.1",
        "-storetype",
        "PKCS12",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-keypass",
        STORE_PASSWORD);
    keytool(
        "-exportcert",
        "-alias",
        "broker",
        "-rfc",
        "-file",
        certificate.toString(),
        "-keystore",
        keyStore.toString(),
        "-storepass",
        STORE_PASSWORD);
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "broker",
        "-file",
        certificate.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        trustStore.toString(),
        "-storepass",
        STORE_PASSWORD);
  }

  private static void keytool(String... arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IOException("keytool " + String.join(" ", arguments) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running keytool", e);
    }
  }

  /** Starts the broker on its port; after {@link #stop()} with no sessions left. */
  synchronized void start() {
    if (hivemq == null) {
      hivemq =
          EmbeddedHiveMQ.builder()
              .withConfigurationFolder(folder.resolve("conf"))
              .withDataFolder(folder.resolve("data"))
              .withExtensionsFolder(folder.resolve("extensions"))
              .withEmbeddedExtension(authentication())
              .build();
    }
    hivemq.start().join();
  }

  synchronized void stop() {
    hivemq.stop().join();
    // HiveMQ registers its metrics again when it starts again.
    hivemq.getMetricRegistry().removeMatching(MetricFilter.ALL);
  }

  private static EmbeddedExtension authentication() {
    return EmbeddedExtension.builder()
        .withId("test-authentication")
        .withName("test authentication")
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
                        provider -> (SimpleAuthenticator) TestMqttBroker::check);
              }

              @Override
              public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {}
            })
        .build();
  }

  private static void check(SimpleAuthInput input, SimpleAuthOutput output) {
    var connect = input.getConnectPacket();
    if (connect.getUserName().isEmpty()) {
      output.authenticateSuccessfully();
      return;
    }
    String password =
        connect
            .getPassword()
            .map(bytes -> StandardCharsets.UTF_8.decode(bytes).toString())
            .orElse("");
    if (connect.getUserName().get().equals(USER) && password.equals(PASSWORD)) {
      output.authenticateSuccessfully();
    } else {
      output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "wrong credentials");
    }
  }
}
