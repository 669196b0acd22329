package io.runnel.support;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Micrometer counter per combination of tag values, all with one name and the same tag keys (as
 * Prometheus wants), each looked up in the registry once; counts nothing without a registry (when
 * metrics are off). What the connectors count their work with.
 */
public final class CounterFamily {

  private final MeterRegistry registry;
  private final String name;
  private final String description;
  private final List<String> tagKeys;
  private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

  private CounterFamily(
      MeterRegistry registry, String name, String description, List<String> tagKeys) {
    this.registry = registry;
    this.name = name;
    this.description = description;
    this.tagKeys = tagKeys;
  }

  /**
   * The counters named {@code name} (Micrometer's dotted form: {@code runnel.mqtt.messages} is
   * {@code runnel_mqtt_messages_total} in Prometheus), tagged {@code tagKeys}.
   */
  public static CounterFamily of(
      @Nullable MeterRegistry registry, String name, String description, String... tagKeys) {
    return new CounterFamily(registry, name, description, List.of(tagKeys));
  }

  /** Adds {@code amount} to the counter of {@code tagValues}, given in the order of the keys. */
  public void increment(double amount, String... tagValues) {
    if (registry == null) {
      return;
    }
    if (tagValues.length != tagKeys.size()) {
      throw new IllegalArgumentException(
          name + " is tagged " + tagKeys + ", given " + Arrays.toString(tagValues));
    }
    counters.computeIfAbsent(List.of(tagValues), this::register).increment(amount);
  }

  private Counter register(List<String> tagValues) {
    Counter.Builder counter = Counter.builder(name).description(description);
    for (int i = 0; i < tagKeys.size(); i++) {
      counter.tag(tagKeys.get(i), tagValues.get(i));
    }
    return counter.register(registry);
  }
}
