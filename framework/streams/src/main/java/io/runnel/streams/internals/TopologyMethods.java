package io.runnel.streams.internals;

import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.context.processor.ExecutableMethodProcessor;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.ExecutableMethod;
import io.runnel.streams.StreamsTopology;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.streams.StreamsBuilder;

/**
 * Finds the {@link StreamsTopology} methods in Micronaut's compile-time bean metadata (no classpath
 * scanning) and checks each: one {@code StreamsBuilder} parameter, a kebab-case name no other
 * topology has.
 */
@Singleton
final class TopologyMethods implements ExecutableMethodProcessor<StreamsTopology> {

  /** One {@code @StreamsTopology} method of a bean. */
  record TopologyMethod(String name, BeanDefinition<?> bean, ExecutableMethod<?, ?> method) {

    String where() {
      return "@StreamsTopology " + bean.getBeanType().getName() + "#" + method.getMethodName();
    }
  }

  private final List<TopologyMethod> found = new CopyOnWriteArrayList<>();

  @Override
  public void process(BeanDefinition<?> bean, ExecutableMethod<?, ?> method) {
    found.add(
        new TopologyMethod(
            method.stringValue(StreamsTopology.class, "name").orElse(""), bean, method));
  }

  /**
   * Every topology method by name.
   *
   * @throws ConfigurationException naming the method whose name or signature is wrong, or the two
   *     that share a name
   */
  Map<String, TopologyMethod> byName() {
    Map<String, TopologyMethod> byName = new LinkedHashMap<>();
    for (TopologyMethod topology : found) {
      if (!topology.name().matches("[a-z0-9]+(-[a-z0-9]+)*")) {
        throw new ConfigurationException(
            topology.where()
                + " is named '"
                + topology.name()
                + "': give it a name in kebab-case (lower-case letters and digits, words joined by"
                + " '-'), such as device-stats");
      }
      Class<?>[] parameters = topology.method().getArgumentTypes();
      if (parameters.length != 1 || parameters[0] != StreamsBuilder.class) {
        throw new ConfigurationException(
            topology.where()
                + " must take exactly one parameter, the StreamsBuilder to build on: void"
                + " build(StreamsBuilder builder)");
      }
      TopologyMethod clash = byName.put(topology.name(), topology);
      if (clash != null) {
        throw new ConfigurationException(
            "Two @StreamsTopology methods are named '"
                + topology.name()
                + "' ("
                + clash.where()
                + " and "
                + topology.where()
                + "): give one of them another name");
      }
    }
    return byName;
  }
}
