package io.runnel.test;

import io.micronaut.context.ApplicationContext;
import io.runnel.registry.server.DevSchemaRegistry;
import java.util.HashMap;
import java.util.LinkedHashMap;
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

  /**
   * A broker and registry: shared by every test class of the run and closed when the run ends, or
   * one class's own (given broker settings) and closed after it.
   */
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
    RunnelTest settings =
        AnnotationSupport.findAnnotation(context.getRequiredTestClass(), RunnelTest.class)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "RunnelExtension needs @RunnelTest on " + context.getRequiredTestClass()));
    Map<String, String> brokerProperties =
        keyValues(settings.brokerProperties(), "brokerProperties");
    SharedInfrastructure infrastructure;
    if (brokerProperties.isEmpty()) {
      infrastructure =
          context
              .getRoot()
              .getStore(NAMESPACE)
              .getOrComputeIfAbsent(
                  SharedInfrastructure.class,
                  key -> startInfrastructure(TestBroker.start()),
                  SharedInfrastructure.class);
    } else {
      // The class's own: closed with the class's store when the class is done.
      infrastructure = startInfrastructure(TestBroker.embedded(brokerProperties));
      context.getStore(NAMESPACE).put(SharedInfrastructure.class, infrastructure);
    }
    ApplicationContext applicationContext = null;
    if (settings.startContext()) {
      Map<String, Object> properties = new HashMap<>();
      properties.put("runnel.kafka.bootstrap-servers", infrastructure.broker().bootstrapServers());
      properties.put("runnel.schema-registry.url", infrastructure.registry().url());
      properties.putAll(keyValues(settings.properties(), "properties"));
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
            infrastructure.broker().bootstrapServers(),
            infrastructure.registry().url(),
            applicationContext);
    context.getStore(NAMESPACE).put(RunnelTestKit.class, kit);
  }

  private static SharedInfrastructure startInfrastructure(TestBroker broker) {
    long started = System.nanoTime();
    SharedInfrastructure infrastructure =
        new SharedInfrastructure(broker, DevSchemaRegistry.start(broker.bootstrapServers(), 0));
    LOG.info("Broker and registry ready in {} ms", (System.nanoTime() - started) / 1_000_000);
    return infrastructure;
  }

  private static Map<String, String> keyValues(String[] entries, String attribute) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String entry : entries) {
      int separator = entry.indexOf('=');
      if (separator < 1) {
        throw new IllegalArgumentException(
            "@RunnelTest " + attribute + " entry '" + entry + "' is not key=value");
      }
      values.put(entry.substring(0, separator).trim(), entry.substring(separator + 1).trim());
    }
    return values;
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    RunnelTestKit kit =
        context.getStore(NAMESPACE).remove(RunnelTestKit.class, RunnelTestKit.class);
    if (kit != null) {
      kit.close();
    }
    // A class's own broker and registry (the shared ones are in the root store, not here).
    SharedInfrastructure own =
        context.getStore(NAMESPACE).remove(SharedInfrastructure.class, SharedInfrastructure.class);
    if (own != null) {
      own.close();
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
