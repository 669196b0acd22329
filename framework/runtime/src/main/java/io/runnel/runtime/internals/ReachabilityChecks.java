package io.runnel.runtime.internals;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.runtime.HealthCheckSettings;
import io.runnel.support.ComponentHealthIndicator;
import io.runnel.support.ComponentStatus;
import io.runnel.support.FunctionDescriptors;
import io.runnel.support.KafkaSettings;
import io.runnel.support.SchemaRegistrySettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;

/**
 * Whether the Kafka cluster and the schema registry answer, as the {@code kafka} and {@code
 * schema-registry} entries of {@code /health}: checked every {@code
 * runnel.runtime.health.check-interval} on a thread of their own (one describe-cluster request, one
 * request for the registry's compatibility level), each waiting {@code check-timeout} at most. A
 * probe reads the last outcome, so probing often costs the cluster nothing.
 */
@Singleton
@Requires(property = "runnel.runtime.enabled", notEquals = "false")
final class ReachabilityChecks
    implements ApplicationEventListener<StartupEvent>,
        ComponentHealthIndicator.Component,
        AutoCloseable {

  enum Reachability {
    CHECKING,
    REACHABLE,
    UNREACHABLE
  }

  private final FunctionDescriptors functions;
  private final KafkaSettings kafka;
  private final SchemaRegistrySettings registry;
  private final HealthCheckSettings settings;
  private final ComponentStatus<Reachability> cluster = status("kafka");
  private final ComponentStatus<Reachability> schemaRegistry = status("schema-registry");
  private ScheduledExecutorService checks;
  private Admin admin;
  private SchemaRegistryClient registryClient;

  ReachabilityChecks(
      FunctionDescriptors functions,
      KafkaSettings kafka,
      SchemaRegistrySettings registry,
      HealthCheckSettings settings) {
    this.functions = functions;
    this.kafka = kafka;
    this.registry = registry;
    this.settings = settings;
    // Here rather than at start-up: every start-up listener is created before the first runs, so
    // a bad setting is named before the runtime's own start-up talks to Kafka.
    settings.validate();
  }

  private static ComponentStatus<Reachability> status(String name) {
    return new ComponentStatus<>(
            name, "state", Reachability.CHECKING, Set.of(Reachability.REACHABLE), List.of())
        .downWhileStarting();
  }

  /** Starts checking in a process that runs functions, once their settings are known to be good. */
  @Override
  public synchronized void onApplicationEvent(StartupEvent event) {
    if (functions.enabled().isEmpty()) {
      return;
    }
    cluster.withDetail("bootstrap-servers", kafka.getBootstrapServers());
    schemaRegistry.withDetail("url", registry.getUrl());
    checks =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("runnel-health-checks").factory());
    checks.scheduleWithFixedDelay(
        this::checkBoth, 0, settings.getCheckInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public List<ComponentStatus<?>> componentStatuses() {
    return checks == null ? List.of() : List.of(cluster, schemaRegistry);
  }

  private void checkBoth() {
    check(cluster, this::describeCluster);
    check(schemaRegistry, this::readCompatibility);
  }

  private interface Check {
    void run() throws Exception;
  }

  private static void check(ComponentStatus<Reachability> status, Check check) {
    try {
      check.run();
      status.become(Reachability.REACHABLE, null);
    } catch (Exception e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      status.become(Reachability.UNREACHABLE, cause.toString());
    }
  }

  private void describeCluster() throws Exception {
    if (admin == null) {
      admin = Admin.create(kafka.adminConfig());
    }
    Duration timeout = settings.getCheckTimeout();
    DescribeClusterResult result =
        admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
    int brokers = result.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
    cluster.note("brokers", brokers);
  }

  private void readCompatibility() {
    if (registryClient == null) {
      registryClient = registry.newClient(settings.getCheckTimeout());
    }
    registryClient.getCompatibility();
  }

  @PreDestroy
  @Override
  public synchronized void close() {
    if (checks != null) {
      checks.shutdownNow();
      checks.close();
    }
    if (admin != null) {
      admin.close(Duration.ZERO);
    }
  }
}
