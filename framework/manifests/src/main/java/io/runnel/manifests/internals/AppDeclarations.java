package io.runnel.manifests.internals;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.ConfigurationException;
import io.runnel.runtime.RuntimeSettings;
import io.runnel.runtime.UsageSettings;
import io.runnel.support.FunctionDescriptor;
import io.runnel.support.FunctionDescriptors;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a function app declares that its manifests follow, read from its Micronaut context and
 * checked as its start-up checks it: its functions ({@code @EventFunction} with {@code
 * runnel.functions.<name>.*} applied), the partitions and replicas of the topics it creates ({@code
 * runnel.runtime.topics.*}), its drain timeout, its usage topic and its HTTP port.
 *
 * @param usageTopic {@code runnel.usage.topic}, empty when {@code runnel.usage.enabled} is false
 */
public record AppDeclarations(
    List<FunctionDescriptor> functions,
    Optional<Integer> partitions,
    Optional<Short> replicationFactor,
    Duration drainTimeout,
    Optional<String> usageTopic,
    int serverPort) {

  /**
   * Reads the declarations of the app whose context is {@code context}.
   *
   * @throws ConfigurationException naming the setting that is wrong, or saying that the app has no
   *     function
   */
  public static AppDeclarations read(ApplicationContext context) {
    List<FunctionDescriptor> functions = context.getBean(FunctionDescriptors.class).enabled();
    if (functions.isEmpty()) {
      throw new ConfigurationException(
          "The app has no enabled @EventFunction: nothing to deploy. Put the app's jar or classes"
              + " (compiled with Micronaut's annotation processor) on --app, and check"
              + " runnel.functions.<name>.enabled");
    }
    RuntimeSettings runtime = context.getBean(RuntimeSettings.class);
    runtime.validate();
    UsageSettings usage = context.getBean(UsageSettings.class);
    usage.validate();
    int port = context.getProperty("micronaut.server.port", Integer.class).orElse(8080);
    if (port < 1 || port > 65535) {
      throw new ConfigurationException("micronaut.server.port must be a port, was " + port);
    }
    return new AppDeclarations(
        functions,
        runtime.getTopics().getPartitions(),
        runtime.getTopics().getReplicationFactor(),
        runtime.getDrainTimeout(),
        usage.isEnabled() ? Optional.of(usage.getTopic()) : Optional.empty(),
        port);
  }

  /** Whether any function is exactly-once. */
  public boolean anyExactlyOnce() {
    return functions.stream().anyMatch(FunctionDescriptor::exactlyOnce);
  }
}
