package io.runnel.connectors.http;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad route or gateway setting fails start-up, naming the setting. */
@RunnelTest(startContext = false)
class HttpGatewayConfigurationTest {

  private static void start(RunnelTestKit kit, Map<String, Object> overrides) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("micronaut.server.port", -1);
    properties.put("runnel.runtime.enabled", false);
    properties.put("runnel.kafka.bootstrap-servers", kit.bootstrapServers());
    properties.put("runnel.schema-registry.url", kit.registryUrl());
    properties.put("runnel.http.routes.r.path", "/r/{id}");
    properties.put("runnel.http.routes.r.topic", "http.r");
    properties.put("runnel.http.routes.r.schema", "io.runnel.examples.iot.SensorReading");
    properties.putAll(overrides);
    ApplicationContext.builder().environments("test").properties(properties).start().close();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "runnel.http.routes.r.key | nowhere.deviceId | runnel.http.routes.r.key is 'nowhere.deviceId'",
        "runnel.http.routes.r.key | path.deviceId | has no variable {deviceId}",
        "runnel.http.routes.r.key | body.serial | SensorReading has no such field",
        "runnel.http.routes.r.method | DELETE | runnel.http.routes.r.method must be one of",
        "runnel.http.routes.r.schema | io.runnel.examples.iot.Nope | runnel.http.routes.r.schema is io.runnel.examples.iot.Nope: no such class",
        "runnel.http.routes.r.path | readings | runnel.http.routes.r.path must be set and start with '/'",
        "runnel.http.max-body-size | 0 | runnel.http.max-body-size must be positive",
        "runnel.http.produce-timeout | 10ms | runnel.http.produce-timeout must be at least 100ms",
        "runnel.http.api-keys.k.sha256 | not-a-hash | runnel.http.api-keys.k.sha256 must be the key's SHA-256"
      })
  void aBadSettingFailsStartUpNamingIt(
      String setting, String value, String message, RunnelTestKit kit) {
    assertThatThrownBy(() -> start(kit, Map.of(setting, value))).hasStackTraceContaining(message);
  }

  @Test
  void aSubjectTheRegistryDoesNotHaveFailsStartUp(RunnelTestKit kit) {
    Map<String, Object> subject = new HashMap<>();
    subject.put("runnel.http.routes.s.path", "/s");
    subject.put("runnel.http.routes.s.topic", "http.s");
    subject.put("runnel.http.routes.s.subject", "no-such-subject-value");
    assertThatThrownBy(() -> start(kit, subject))
        .hasStackTraceContaining("runnel.http.routes.s.subject is no-such-subject-value");
  }
}
