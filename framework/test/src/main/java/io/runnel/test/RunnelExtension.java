package io.runnel.test;

import io.micronaut.context.ApplicationContext;
import io.runnel.registry.server.DevSchemaRegistry;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JUnit 5 extension behind {@link RunnelTest}. */
public final class RunnelExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private static final Logger LOG = LoggerFactory.getLogger(RunnelExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RunnelExtension.class);

  /** The broker and registry shared by every test class of the run, closed when the run ends. */
  private record SharedInfrastructure(TestBroker broker, DevSchemaRegistry registry)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      registry.close();
      broker.close();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    SharedInfrastructure shared =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(
                SharedInfrastructure.class,
                key -> {
                  long started = System.nanoTime();
                  TestBroker broker = TestBroker.start();
                  SharedInfrastructure infrastructure =
                      new SharedInfrastructure(
                          broker, DevSchemaRegistry.start(broker.bootstrapServers(), 0));
                  LOG.info(
                      "Broker and registry ready in {} ms",
                      (System.nanoTime() - started) / 1_000_000);
                  return infrastructure;
                },
                SharedInfrastructure.class);
    RunnelTest settings =
        AnnotationSupport.findAnnotation(context.getRequiredTestClass(), RunnelTest.class)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "RunnelExtension needs @RunnelTest on " + context.getRequiredTestClass()));
    ApplicationContext applicationContext = null;
    if (settings.startContext()) {
      Map<String, Object> properties = new HashMap<>();
      properties.put("runnel.kafka.bootstrap-servers", shared.broker().bootstrapServers());
      properties.put("runnel.schema-registry.url", shared.registry().url());
      for (String property : settings.properties()) {
        int separator = property.indexOf('=');
        if (separator < 1) {
          throw new IllegalArgumentException(
              "@RunnelTest property '" + property + "' is not key=value");
        }
        properties.put(
            property.substring(0, separator).trim(), property.substring(separator + 1).trim());
      }
      long started = System.nanoTime();
      applicationContext =
          ApplicationContext.builder().environments("test").properties(properties).start();
      LOG.info(
          "Context for {} started in {} ms",
          context.getRequiredTestClass().getSimpleName(),
          (System.nanoTime() - started) / 1_000_000);
    }
    RunnelTestKit kit =
        new RunnelTestKit(
            shared.broker().bootstrapServers(), shared.registry().url(), applicationContext);
    context.getStore(NAMESPACE).put(RunnelTestKit.class, kit);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    RunnelTestKit kit =
        context.getStore(NAMESPACE).remove(RunnelTestKit.class, RunnelTestKit.class);
    if (kit != null) {
      kit.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
    Class<?> type = parameter.getParameter().getType();
    return type == RunnelTestKit.class || type == ApplicationContext.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
    RunnelTestKit kit = extension.getStore(NAMESPACE).get(RunnelTestKit.class, RunnelTestKit.class);
    if (kit == null) {
      throw new ParameterResolutionException(
          "No Runnel test kit: is the class annotated with @RunnelTest?");
    }
    return parameter.getParameter().getType() == RunnelTestKit.class ? kit : kit.context();
  }
}
