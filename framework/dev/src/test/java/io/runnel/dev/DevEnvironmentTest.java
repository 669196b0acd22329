package io.runnel.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.examples.iot.SensorReading;
import io.runnel.registry.CompatibilityLevel;
import io.runnel.registry.SchemaRegistryClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevEnvironmentTest {

  @TempDir Path dataDir;

  DevOptions freePorts(boolean clean) {
    return new DevOptions(0, 0, 0, dataDir, clean);
  }

  @Test
  void registryStateSurvivesARestartOfDevModeAndCleanWipesIt() throws Exception {
    int id;
    try (DevEnvironment dev = DevEnvironment.start(freePorts(false))) {
      assertThat(dev.readyLine())
          .matches("Runnel dev ready: kafka=localhost:\\d+ registry=http://localhost:\\d+");
      SchemaRegistryClient registry = new SchemaRegistryClient(dev.registryUrl());
      id = registry.register("iot.telemetry-value", SensorReading.getClassSchema());
      registry.setCompatibility(CompatibilityLevel.FULL);

      HttpResponse<String> liveness = get(dev, "/health/liveness");
      assertThat(liveness.statusCode()).isEqualTo(200);
      HttpResponse<String> readiness = get(dev, "/health/readiness");
      assertThat(readiness.statusCode()).isEqualTo(200);
      assertThat(readiness.body())
          .as("the entries' details, shown without authentication")
          .contains("\"details\"", "\"diskSpace\"");
    }
    assertThat(Files.exists(dataDir.resolve("kafka").resolve("meta.properties"))).isTrue();

    try (DevEnvironment dev = DevEnvironment.start(freePorts(false))) {
      SchemaRegistryClient registry = new SchemaRegistryClient(dev.registryUrl());
      assertThat(registry.getLatestVersion("iot.telemetry-value").id()).isEqualTo(id);
      assertThat(registry.getById(id)).isEqualTo(SensorReading.getClassSchema());
      assertThat(registry.getCompatibility()).isEqualTo(CompatibilityLevel.FULL);
    }

    try (DevEnvironment dev = DevEnvironment.start(freePorts(true))) {
      assertThat(new SchemaRegistryClient(dev.registryUrl()).getSubjects()).isEmpty();
    }
  }

  private static HttpResponse<String> get(DevEnvironment dev, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + dev.httpPort() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aPortInUseIsNamedWithTheOptionToChange() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("localhost"))) {
      assertThatThrownBy(
              () ->
                  DevEnvironment.start(new DevOptions(taken.getLocalPort(), 0, 0, dataDir, false)))
          .hasMessageContaining("Port " + taken.getLocalPort() + " is already in use")
          .hasMessageContaining("--kafka-port");
    }
  }

  @Test
  void badCommandLineArgumentsAreRefusedWithAClearMessage() {
    StringWriter err = new StringWriter();
    int exit =
        RunnelDev.commandLine()
            .setErr(new PrintWriter(err))
            .execute("--kafka-port", "not-a-number");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--kafka-port").contains("not-a-number");

    StringWriter err2 = new StringWriter();
    int exit2 =
        RunnelDev.commandLine()
            .setErr(new PrintWriter(err2))
            .execute("--http-port", "70000", "--data-dir", dataDir.toString());
    assertThat(exit2).isEqualTo(1);
    assertThat(err2.toString()).contains("--http-port must be between 0 and 65535");
  }
}
