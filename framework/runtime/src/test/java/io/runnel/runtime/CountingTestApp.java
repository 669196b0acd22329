package io.runnel.runtime;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.EventContext;
import io.runnel.function.EventFunction;
import io.runnel.function.KeyedStore;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * A stateful function process the keyed-state tests run in the test JVM or kill and restart as a
 * JVM of its own: it counts readings per device in store {@code counts} and emits each new count.
 * Arguments of {@link #main}: bootstrap servers, registry URL, input topic, output topic, and
 * {@code exactly-once} or {@code at-least-once}.
 */
public final class CountingTestApp {

  static final Schema COUNT =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "DeviceCount", "namespace": "io.runnel.test.state",
               "fields": [{"name": "deviceId", "type": "string"},
                          {"name": "count", "type": "long"}]}""");

  private CountingTestApp() {}

  @Singleton
  @Requires(property = "runnel.test.suite", value = "state")
  static class CountingFunction {
    @EventFunction(name = "count", topics = "unset", outputTopic = "unset", stores = "counts")
    GenericRecord handle(SensorReading reading, EventContext context) {
      KeyedStore<GenericRecord> counts = context.store("counts", GenericRecord.class);
      GenericRecord previous = counts.get();
      GenericRecord next = new GenericData.Record(COUNT);
      next.put("deviceId", reading.getDeviceId());
      next.put("count", previous == null ? 1L : (Long) previous.get("count") + 1);
      counts.put(next);
      return next;
    }
  }

  /** Reads a store it does not declare. */
  @Singleton
  @Requires(property = "runnel.test.suite", value = "state-undeclared")
  static class UndeclaredStoreFunction {
    @EventFunction(name = "undeclared", topics = "unset", stores = "counts")
    void handle(SensorReading reading, EventContext context) {
      context.store("totals", GenericRecord.class).get();
    }
  }

  /**
   * Sets each reading's humidity to the count its device has in a global table of {@code
   * DeviceCount}s (a stand-in for any reference data), or -1 when it has none.
   */
  @Singleton
  @Requires(property = "runnel.test.suite", value = "state-table")
  static class EnrichingFunction {
    @Value("${runnel.functions.enrich.global-tables}")
    String table;

    @EventFunction(name = "enrich", topics = "unset", outputTopic = "unset")
    SensorReading handle(SensorReading reading, EventContext context) {
      GenericRecord entry =
          context.globalTable(table, GenericRecord.class).get(reading.getDeviceId());
      reading.setHumidity(entry == null ? -1.0 : ((Long) entry.get("count")).doubleValue());
      return reading;
    }
  }

  /** The configuration of the counting function from {@code input} to {@code output}. */
  static Map<String, Object> properties(
      String bootstrapServers,
      String registryUrl,
      String input,
      String output,
      boolean exactlyOnce) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("runnel.test.suite", "state");
    properties.put("runnel.kafka.bootstrap-servers", bootstrapServers);
    properties.put("runnel.schema-registry.url", registryUrl);
    properties.put("runnel.functions.count.topics", input);
    properties.put("runnel.functions.count.output-topic", output);
    properties.put("runnel.functions.count.group", "count-" + input);
    properties.put("runnel.functions.count.exactly-once", String.valueOf(exactlyOnce));
    properties.put("runnel.runtime.commit-interval", "200ms");
    // A killed process never leaves its group: a short session lets the restarted one in soon.
    properties.put("runnel.kafka.consumer.session.timeout.ms", "6000");
    properties.put("runnel.kafka.consumer.heartbeat.interval.ms", "1000");
    return properties;
  }

  public static void main(String[] args) throws InterruptedException {
    Map<String, Object> properties =
        properties(args[0], args[1], args[2], args[3], args[4].equals("exactly-once"));
    properties.put("runnel.runtime.instance-id", "counting-test-app");
    ApplicationContext.run(properties);
    Thread.currentThread().join();
  }
}
