package io.runnel.benchmarks;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.runnel.examples.iot.SensorReading;
import io.runnel.examples.iot.TemperatureAlert;
import io.runnel.function.ConcurrencyPolicy;
import io.runnel.function.EventFunction;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;

/** Runnel: a function bean whose topics, group and output are set per run in configuration. */
final class RunnelContender implements Contender {

  /** The benchmark function; the current run's workload and order checker are set before start. */
  @Singleton
  @Requires(property = "runnel.benchmark", value = "true")
  static class BenchmarkFunction {
    static volatile Workload workload;
    static volatile OrderChecker order;

    @EventFunction(name = "bench", topics = "unset", outputTopic = "unset")
    TemperatureAlert handle(SensorReading reading) {
      TemperatureAlert alert = workload.handle(reading);
      order.handled(reading);
      return alert;
    }
  }

  /** The concurrency policy the function runs with; null for the default. */
  private final ConcurrencyPolicy concurrency;

  /** Whether Micrometer meters are on (the default), so their cost shows side by side. */
  private final boolean metrics;

  /** What the further {@code settings} are, for the name; null when there are none. */
  private final String settingsLabel;

  /** Further settings, e.g. the group protocol. */
  private final Map<String, String> settings;

  RunnelContender() {
    this(null, true, null, Map.of());
  }

  private RunnelContender(
      ConcurrencyPolicy concurrency,
      boolean metrics,
      String settingsLabel,
      Map<String, String> settings) {
    this.concurrency = concurrency;
    this.metrics = metrics;
    this.settingsLabel = settingsLabel;
    this.settings = settings;
  }

  /** Runnel with the given concurrency policy, named after it. */
  static RunnelContender withConcurrency(ConcurrencyPolicy concurrency) {
    return new RunnelContender(concurrency, true, null, Map.of());
  }

  /** Runnel with the default policy and metrics off ({@code micronaut.metrics.enabled=false}). */
  static RunnelContender withMetricsOff() {
    return new RunnelContender(null, false, null, Map.of());
  }

  /** Runnel with further settings, named with {@code label}. */
  static RunnelContender withSettings(String label, Map<String, String> settings) {
    return new RunnelContender(null, true, label, settings);
  }

  @Override
  public String name() {
    String name =
        concurrency == null
            ? "Runnel (KEY ordering"
            : "Runnel (KEY ordering, " + concurrency + " concurrency";
    return name
        + (settingsLabel == null ? "" : ", " + settingsLabel)
        + (metrics ? ")" : ", metrics off)");
  }

  @Override
  public AutoCloseable start(
      Workload workload,
      BenchmarkCluster cluster,
      String group,
      String outputTopic,
      OrderChecker order) {
    BenchmarkFunction.workload = workload;
    BenchmarkFunction.order = order;
    Map<String, Object> properties = new HashMap<>();
    properties.put("runnel.benchmark", "true");
    properties.put("micronaut.metrics.enabled", String.valueOf(metrics));
    properties.put("runnel.http.enabled", "false"); // the gateway has its own run
    // micronaut-kafka is on the classpath for its own contender only.
    properties.put("kafka.enabled", "false");
    properties.put("runnel.kafka.bootstrap-servers", cluster.bootstrapServers());
    properties.put("runnel.schema-registry.url", cluster.registryUrl());
    properties.put("runnel.functions.bench.topics", workload.topic());
    properties.put("runnel.functions.bench.group", group);
    properties.put("runnel.functions.bench.output-topic", outputTopic);
    if (concurrency != null) {
      properties.put("runnel.functions.bench.concurrency-policy", concurrency.name());
    }
    properties.putAll(settings);
    return ApplicationContext.run(properties);
  }
}
