package io.runnel.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.EventFunction;
import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import jakarta.inject.Singleton;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * An {@code @HttpTrigger} route follows the function's configuration: it is named after the
 * function and publishes where the function reads, also when {@code runnel.functions.<name>.topics}
 * moves it. The function is named after its class, its method differently.
 */
@RunnelTest(
    properties = {
      "micronaut.server.port=-1",
      "runnel.test.suite=http-trigger",
      "runnel.functions.intake-function.topics=http.intake.moved"
    })
class TriggeredFunctionRouteTest {

  @Singleton
  @Requires(property = "runnel.test.suite", value = "http-trigger")
  static class IntakeFunction {
    @EventFunction(topics = "http.intake")
    @HttpTrigger(path = "/intake", key = "body.deviceId")
    void receive(SensorReading reading) {}
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "http-trigger")
  static class NoteFunction {
    @EventFunction(name = "notes", topics = "http.notes", readerSchema = "triggers/note.avsc")
    @HttpTrigger(path = "/notes", key = "body.author")
    void receive(GenericRecord note) {}
  }

  @Test
  void aPostLandsOnTheTopicConfiguredForTheFunctionUnderItsName(
      RunnelTestKit kit, ApplicationContext context) {
    GatewayClient.Reply reply =
        new GatewayClient(context)
            .post(
                "/intake",
                """
                {"deviceId": "dev-moved", "timestamp": "2026-11-23T10:15:30Z", "temperatureC": 20}""");

    assertThat(reply.status()).isEqualTo(202);
    assertThat(reply.json().get("topic").asText()).isEqualTo("http.intake.moved");
    ReceivedRecord stored = kit.awaitRecords("http.intake.moved", 1, r -> true).get(0);
    assertThat(stored.key()).isEqualTo("dev-moved");
    assertThat(((GenericRecord) stored.value()).get("deviceId")).hasToString("dev-moved");
    assertThat(stored.header("runnel.http.route")).isEqualTo("intake-function");
  }

  @Test
  void aGenericRecordFunctionsRouteTakesItsReaderSchema(
      RunnelTestKit kit, ApplicationContext context) {
    GatewayClient http = new GatewayClient(context);

    GatewayClient.Reply accepted = http.post("/notes", "{\"author\": \"ada\", \"text\": \"hi\"}");
    GatewayClient.Reply rejected = http.post("/notes", "{\"author\": \"ada\"}");

    assertThat(accepted.status()).isEqualTo(202);
    GenericRecord stored =
        (GenericRecord) kit.awaitRecords("http.notes", 1, r -> true).get(0).value();
    assertThat(stored.getSchema().getFullName()).isEqualTo("io.runnel.connectors.http.test.Note");
    assertThat(stored.get("text")).hasToString("hi");
    assertThat(rejected.status()).isEqualTo(400);
    assertThat(rejected.raw().body()).contains("text");
  }
}
