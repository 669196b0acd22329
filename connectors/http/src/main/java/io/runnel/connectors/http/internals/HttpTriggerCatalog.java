package io.runnel.connectors.http.internals;

import io.micronaut.context.processor.ExecutableMethodProcessor;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.ExecutableMethod;
import io.runnel.connectors.http.HttpTrigger;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects the {@code @HttpTrigger} methods from Micronaut's compile-time bean metadata. */
@Singleton
final class HttpTriggerCatalog implements ExecutableMethodProcessor<HttpTrigger> {

  private final List<ExecutableMethod<?, ?>> found = new CopyOnWriteArrayList<>();

  @Override
  public void process(BeanDefinition<?> beanDefinition, ExecutableMethod<?, ?> method) {
    found.add(method);
  }

  List<ExecutableMethod<?, ?>> found() {
    return List.copyOf(found);
  }
}
