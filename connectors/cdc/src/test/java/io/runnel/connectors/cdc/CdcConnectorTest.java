package io.runnel.connectors.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.management.health.indicator.HealthResult;
import io.runnel.test.Await;
import io.runnel.test.HealthProbe;
import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The connector against a real PostgreSQL, a real broker and the registry. */
@RunnelTest(startContext = false)
class CdcConnectorTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static TestDatabase database;

  @BeforeAll
  static void startDatabase() {
    database = TestDatabase.start("logical");
    database.execute(
        "CREATE TABLE orders (id uuid PRIMARY KEY, customer text NOT NULL, amount numeric(10,2),"
            + " placed_at timestamp(6), note text)",
        "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL,"
            + " balance numeric(12,4), created_at timestamptz)",
        // Deletes carry the old row only with REPLICA IDENTITY FULL (else just the key).
        "ALTER TABLE customers REPLICA IDENTITY FULL",
        "CREATE TABLE products (id int PRIMARY KEY, name text NOT NULL, qty int NOT NULL)");
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    database.close();
  }

  private static ApplicationContext connector(RunnelTestKit kit, Map<String, Object> properties) {
    Map<String, Object> all = new HashMap<>(properties);
    all.put("runnel.kafka.bootstrap-servers", kit.bootstrapServers());
    all.put("runnel.schema-registry.url", kit.registryUrl());
    return ApplicationContext.run(all);
  }

  @Test
  void snapshotInsertUpdateDeleteOnTwoTablesDecodeToTheRowValues(RunnelTestKit kit) {
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    database.execute(
        "INSERT INTO orders VALUES ('"
            + first
            + "', 'ada', 12.34, '2026-01-02 03:04:05.123456', NULL)",
        "INSERT INTO customers VALUES (1, 'Ada', 99.5, '2026-03-04 05:06:07.5+00')");
    try (ApplicationContext context =
        connector(kit, database.connectorProperties("flat", "public.orders", "public.customers"))) {
      GenericRecord snapshot = value(kit.awaitRecords("flat.public.orders", 1, r -> true, WAIT), 0);
      assertThat(snapshot.get("__op").toString()).isEqualTo("r");
      assertThat(snapshot.get("id").toString()).isEqualTo(first.toString());
      assertThat(snapshot.get("customer").toString()).isEqualTo("ada");
      assertThat(decimal(snapshot, "amount")).isEqualByComparingTo("12.34");
      assertThat(snapshot.get("placed_at"))
          .isEqualTo(
              micros(LocalDateTime.parse("2026-01-02T03:04:05.123456").toInstant(ZoneOffset.UTC)));
      assertThat(snapshot.get("note")).isNull();
      assertThat(snapshot.get("__deleted")).isEqualTo(false);
      assertThat(snapshot.get("__lsn")).isNotNull();

      GenericRecord customer =
          value(kit.awaitRecords("flat.public.customers", 1, r -> true, WAIT), 0);
      assertThat(customer.get("id")).isEqualTo(1L);
      assertThat(decimal(customer, "balance")).isEqualByComparingTo("99.5000");
      assertThat(customer.get("created_at"))
          .isEqualTo(micros(Instant.parse("2026-03-04T05:06:07.5Z")));

      database.execute(
          "INSERT INTO orders VALUES ('" + second + "', 'bob', NULL, NULL, 'rush')",
          "UPDATE orders SET amount = 20.00, note = 'paid' WHERE id = '" + first + "'",
          "DELETE FROM customers WHERE id = 1");
      List<ReceivedRecord> orders = kit.awaitRecords("flat.public.orders", 3, r -> true, WAIT);
      GenericRecord inserted = value(orders, 1);
      assertThat(inserted.get("__op").toString()).isEqualTo("c");
      assertThat(inserted.get("id").toString()).isEqualTo(second.toString());
      assertThat(inserted.get("amount")).isNull();
      assertThat(inserted.get("note").toString()).isEqualTo("rush");
      GenericRecord updated = value(orders, 2);
      assertThat(updated.get("__op").toString()).isEqualTo("u");
      assertThat(decimal(updated, "amount")).isEqualByComparingTo("20.00");
      assertThat(updated.get("note").toString()).isEqualTo("paid");
      assertThat((Long) updated.get("__lsn")).isGreaterThan((Long) inserted.get("__lsn"));

      List<ReceivedRecord> customers =
          kit.awaitRecords("flat.public.customers", 3, r -> true, WAIT);
      GenericRecord deleted = value(customers, 1);
      assertThat(deleted.get("__op").toString()).isEqualTo("d");
      assertThat(deleted.get("__deleted")).isEqualTo(true);
      assertThat(deleted.get("name").toString()).isEqualTo("Ada");
      assertThat(customers.get(2).rawValue()).as("tombstone after the delete").isNull();
      assertThat(customers.get(2).key()).isEqualTo(customers.get(1).key());

      assertThat(HealthProbe.read(context, "cdc").getStatus().getName()).isEqualTo("UP");
      Await.until(
          "3 changes of orders and 2 of customers counted (a tombstone is no change)",
          WAIT,
          () ->
              changes(context, "public.orders") == 3 && changes(context, "public.customers") == 2);
    }
  }

  /** {@code runnel.cdc.changes} of {@code table}; 0 before any. */
  private static double changes(ApplicationContext context, String table) {
    Counter counter =
        context
            .getBean(MeterRegistry.class)
            .find("runnel.cdc.changes")
            .tag("table", table)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void addingAColumnRegistersANewVersionThatOldAndNewReadersDecode(RunnelTestKit kit)
      throws InterruptedException {
    Map<String, Object> properties = database.connectorProperties("env", "public.products");
    properties.put("runnel.cdc.shape", "envelope");
    database.execute("INSERT INTO products VALUES (1, 'bolt', 10)");
    try (ApplicationContext context = connector(kit, properties)) {
      kit.awaitRecords("env.public.products", 1, r -> true, WAIT);
      database.execute(
          "ALTER TABLE products ADD COLUMN color text",
          "INSERT INTO products VALUES (2, 'nut', 5, 'red')");
      List<ReceivedRecord> records = kit.awaitRecords("env.public.products", 2, r -> true, WAIT);
      List<Schema> versions = kit.schemaVersions("env.public.products-value");
      assertThat(versions).hasSize(2);

      GenericRecord oldView = records.get(1).value(versions.get(0));
      GenericRecord oldAfter = (GenericRecord) oldView.get("after");
      assertThat(oldAfter.get("name").toString()).isEqualTo("nut");
      assertThat(oldAfter.getSchema().getField("color")).isNull();

      GenericRecord newAfter = (GenericRecord) value(records, 1).get("after");
      assertThat(newAfter.get("color").toString()).isEqualTo("red");
      assertThat(value(records, 1).get("op").toString()).isEqualTo("c");
      GenericRecord source = (GenericRecord) value(records, 1).get("source");
      assertThat(source.get("table").toString()).isEqualTo("products");
      assertThat(source.get("lsn")).isNotNull();

      // A change the registry refuses (int to text is not backward compatible) stops the stream
      // and names the column.
      database.execute(
          "ALTER TABLE products ALTER COLUMN qty TYPE text",
          "INSERT INTO products VALUES (3, 'washer', 'many', 'blue')");
      HealthResult result = HealthProbe.await(context, "cdc", "DOWN", WAIT);
      assertThat(((Map<?, ?>) result.getDetails()).get("reason").toString())
          .contains("column 'qty'");
    }
  }

  @Test
  void startUpFailsNamingTheProblem(RunnelTestKit kit) throws Exception {
    Map<String, Object> unknownUser = database.connectorProperties("bad1", "public.orders");
    unknownUser.put("runnel.cdc.user", "nobody");
    assertThatThrownBy(() -> connector(kit, unknownUser).close())
        .hasStackTraceContaining("runnel.cdc.user / runnel.cdc.password")
        .hasStackTraceContaining("nobody");

    Map<String, Object> missingTable = database.connectorProperties("bad2", "public.missing");
    assertThatThrownBy(() -> connector(kit, missingTable).close())
        .hasStackTraceContaining("runnel.cdc.tables: table public.missing does not exist");

    try (TestDatabase replicaOnly = TestDatabase.start("replica")) {
      replicaOnly.execute("CREATE TABLE orders (id int PRIMARY KEY)");
      assertThatThrownBy(
              () ->
                  connector(kit, replicaOnly.connectorProperties("bad3", "public.orders")).close())
          .hasStackTraceContaining("wal_level=replica")
          .hasStackTraceContaining("needs wal_level=logical");
    }
  }

  private static GenericRecord value(List<ReceivedRecord> records, int index) {
    return records.get(index).value(GenericRecord.class);
  }

  private static BigDecimal decimal(GenericRecord record, String field) {
    Schema schema = record.getSchema().getField(field).schema();
    Schema bytes = schema.getType() == Schema.Type.UNION ? schema.getTypes().get(1) : schema;
    return new Conversions.DecimalConversion()
        .fromBytes(
            (ByteBuffer) record.get(field), bytes, (LogicalTypes.Decimal) bytes.getLogicalType());
  }

  private static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }
}
