package io.runnel.runtime.internals;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.processor.ExecutableMethodProcessor;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.ExecutableMethod;
import io.runnel.function.EventFunction;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects the {@code @EventFunction} methods from Micronaut's compile-time bean metadata when the
 * context starts: no classpath scanning, no reflection.
 */
@Singleton
@Requires(property = "runnel.runtime.enabled", notEquals = "false")
final class FunctionCatalog implements ExecutableMethodProcessor<EventFunction> {

  /** A handler method found in the bean metadata. */
  record FoundFunction(BeanDefinition<?> bean, ExecutableMethod<?, ?> method) {
    String name() {
      return FunctionDefinition.nameOf(bean, method);
    }
  }

  private final List<FoundFunction> found = new CopyOnWriteArrayList<>();

  @Override
  public void process(BeanDefinition<?> beanDefinition, ExecutableMethod<?, ?> method) {
    found.add(new FoundFunction(beanDefinition, method));
  }

  List<FoundFunction> found() {
    return List.copyOf(found);
  }
}
