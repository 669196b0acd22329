package io.runnel.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.registry.CompatibilityLevel;
import io.runnel.registry.RegisteredSchema;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.SchemaRegistryException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class DevSchemaRegistryTest extends DevRegistryTestBase {

  static Schema user(String subjectTag, boolean withEmail, boolean emailHasDefault) {
    SchemaBuilder.FieldAssembler<Schema> fields =
        SchemaBuilder.record("User" + subjectTag).namespace("test").fields().requiredString("name");
    if (withEmail) {
      fields =
          emailHasDefault
              ? fields.name("email").type().stringType().stringDefault("")
              : fields.requiredString("email");
    }
    return fields.endRecord();
  }

  @Test
  void registeringTheSameSchemaTwiceGivesTheSameIdAndVersion() {
    Schema schema = user("A", false, false);
    int id = client.register("same-value", schema);
    assertThat(new SchemaRegistryClient(registry.url()).register("same-value", schema))
        .isEqualTo(id);
    assertThat(client.getVersions("same-value")).containsExactly(1);
    assertThat(client.getById(id)).isEqualTo(schema);
    RegisteredSchema latest = client.getLatestVersion("same-value");
    assertThat(latest).isEqualTo(new RegisteredSchema("same-value", 1, id, schema));
    assertThat(client.lookup("same-value", schema).id()).isEqualTo(id);
    // The same schema under another subject keeps its global id.
    assertThat(client.register("other-value", schema)).isEqualTo(id);
  }

  @Test
  void backwardCompatibleEvolutionIsAcceptedAndIncompatibleOneIsRefusedWith409() {
    client.register("evolve-value", user("B", false, false));
    assertThat(client.isCompatible("evolve-value", user("B", true, true))).isTrue();
    assertThat(client.isCompatible("evolve-value", user("B", true, false))).isFalse();
    client.register("evolve-value", user("B", true, true));
    assertThat(client.getLatestVersion("evolve-value").version()).isEqualTo(2);

    Schema nameBecomesAnInt =
        SchemaBuilder.record("UserB").namespace("test").fields().requiredInt("name").endRecord();
    assertThatThrownBy(() -> client.register("evolve-value", nameBecomesAnInt))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(409);
              assertThat(e.errorCode()).isEqualTo(409);
              assertThat(e.getMessage()).contains("incompatible").contains("/fields/0/type");
            });
    assertThat(client.getVersions("evolve-value")).containsExactly(1, 2);
  }

  @Test
  void transitiveLevelsCheckEveryEarlierVersion() {
    Schema v1 = SchemaBuilder.record("T").fields().requiredInt("a").endRecord();
    Schema v2 = SchemaBuilder.record("T").fields().optionalInt("a").endRecord();
    Schema v3 =
        SchemaBuilder.record("T")
            .fields()
            .name("a")
            .type()
            .unionOf()
            .nullType()
            .and()
            .intType()
            .and()
            .stringType()
            .endUnion()
            .nullDefault()
            .endRecord();
    client.setCompatibility("transitive-value", CompatibilityLevel.FORWARD_TRANSITIVE);
    assertThat(client.getCompatibility("transitive-value"))
        .isEqualTo(CompatibilityLevel.FORWARD_TRANSITIVE);
    client.register("transitive-value", v2);
    // v1 readers cannot read v3 data (a may be a string), nor v2 readers.
    assertThatThrownBy(() -> client.register("transitive-value", v3))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(409));
    client.setCompatibility("transitive-value", CompatibilityLevel.NONE);
    assertThat(client.register("transitive-value", v1)).isPositive();
  }

  @Test
  void errorsCarryConfluentErrorCodes() {
    assertThatThrownBy(() -> client.getLatestVersion("no-such-subject"))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
    assertThatThrownBy(() -> client.getById(987654))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
    client.register("codes-value", user("C", false, false));
    assertThatThrownBy(() -> client.getVersion("codes-value", 7))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40402));
    assertThatThrownBy(() -> client.lookup("codes-value", user("Other", false, false)))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
  }

  @Test
  void invalidSchemaAndUnreadableBodiesAreClientErrors() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> invalid =
        http.send(
            HttpRequest.newBuilder(URI.create(registry.url() + "/subjects/bad-value/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"schema\": \"{\\\"type\\\": \\\"recordd\\\"}\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(invalid.statusCode()).isEqualTo(422);
    assertThat(invalid.body()).contains("\"error_code\":42201");

    HttpResponse<String> notJson =
        http.send(
            HttpRequest.newBuilder(URI.create(registry.url() + "/subjects/bad-value/versions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{not json"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(notJson.statusCode()).isEqualTo(400);
  }

  @Test
  void softDeletedVersionDisappearsFromTheSubjectButItsIdStillResolves() {
    int id1 = client.register("deleting-value", user("D", false, false));
    client.register("deleting-value", user("D", true, true));
    assertThat(client.deleteVersion("deleting-value", 1)).isEqualTo(1);
    assertThat(client.getVersions("deleting-value")).containsExactly(2);
    assertThat(new SchemaRegistryClient(registry.url()).getById(id1))
        .isEqualTo(user("D", false, false));
  }

  @Test
  void stateSurvivesARestartOfTheRegistry() {
    Schema schema = user("E", false, false);
    int id = client.register("durable-value", schema);
    client.setCompatibility("durable-value", CompatibilityLevel.FULL);
    registry.close();
    registry = DevSchemaRegistry.start(broker.bootstrapServers(), 0);
    SchemaRegistryClient fresh = new SchemaRegistryClient(registry.url());
    client = fresh;
    assertThat(fresh.getLatestVersion("durable-value"))
        .isEqualTo(new RegisteredSchema("durable-value", 1, id, schema));
    assertThat(fresh.getById(id)).isEqualTo(schema);
    assertThat(fresh.getCompatibility("durable-value")).isEqualTo(CompatibilityLevel.FULL);
    assertThat(fresh.getSubjects()).contains("durable-value");
  }
}
