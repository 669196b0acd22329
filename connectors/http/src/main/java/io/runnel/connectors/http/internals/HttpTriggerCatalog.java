package io.runnel.connectors.http.internals;

import io.micronaut.context.processor.ExecutableMethodProcessor;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.ExecutableMethod;
import io.runnel.connectors.http.HttpTrigger;
import io.runnel.support.FunctionDescriptor;
import io.runnel.support.FunctionDescriptors;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects the {@code @HttpTrigger} methods from Micronaut's compile-time bean metadata, and
 * describes their functions the way the runtime does (name, topics and schema with {@code
 * runnel.functions.<name>.*} applied).
 */
@Singleton
final class HttpTriggerCatalog implements ExecutableMethodProcessor<HttpTrigger> {

  private record Found(BeanDefinition<?> bean, ExecutableMethod<?, ?> method) {}

  private final FunctionDescriptors descriptors;
  private final List<Found> found = new CopyOnWriteArrayList<>();

  HttpTriggerCatalog(FunctionDescriptors descriptors) {
    this.descriptors = descriptors;
  }

  @Override
  public void process(BeanDefinition<?> beanDefinition, ExecutableMethod<?, ?> method) {
    found.add(new Found(beanDefinition, method));
  }

  /** The functions with an {@code @HttpTrigger}, described; fails naming a wrong setting. */
  List<FunctionDescriptor> functions() {
    List<FunctionDescriptor> functions = new ArrayList<>();
    for (Found trigger : found) {
      functions.add(descriptors.describe(trigger.bean(), trigger.method()));
    }
    return functions;
  }
}
