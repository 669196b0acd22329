package io.runnel.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.DefaultApplicationContext;
import io.micronaut.context.annotation.ConfigurationReader;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.inject.BeanDefinitionReference;
import io.runnel.test.Await;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code deploy/compose} checked against the code, since it cannot be run here (no Docker): every
 * service has a health check and waits for healthy dependencies; every {@code RUNNEL_*} variable is
 * a setting some {@code @ConfigurationProperties} or {@code @EachProperty} class reads; the health
 * checks and Prometheus use the ports the services are given and paths a Runnel app serves; every
 * metric the Grafana dashboard queries is one a running Runnel app exports (dev mode with a
 * function, scraped over HTTP).
 */
class ComposeFileTest {

  static final Path COMPOSE = Path.of("../../deploy/compose");
  static final Pattern TCP_HEALTH_CHECK =
      Pattern.compile("/dev/tcp/localhost/(\\d+) .*'GET (\\S+) HTTP");

  @TempDir static Path dataDir;
  static DevEnvironment dev;
  static Map<String, Map<String, Object>> services;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void start() throws IOException {
    try (Reader reader = Files.newBufferedReader(COMPOSE.resolve("compose.yml"))) {
      services =
          (Map<String, Map<String, Object>>)
              ((Map<String, Object>) new Yaml().load(reader)).get("services");
    }
    dev =
        DevEnvironment.start(
            new DevOptions(
                0, 0, 0, DevOptions.Service.off(), DevOptions.Service.off(), dataDir, false));
  }

  @AfterAll
  static void stop() {
    dev.close();
  }

  @Test
  void everyServiceHasAHealthCheckAndWaitsForItsDependenciesToBeHealthy() {
    assertThat(services)
        .containsKeys(
            "kafka",
            "registry",
            "postgres",
            "mosquitto",
            "http-gateway",
            "cdc",
            "mqtt",
            "scheduler",
            "examples",
            "prometheus",
            "grafana");
    services.forEach(
        (name, service) -> {
          assertThat(healthCheck(service)).as(name + " health check").isNotEmpty();
          dependencies(service)
              .forEach(
                  (dependency, condition) -> {
                    assertThat(services).as(name + " depends on").containsKey(dependency);
                    assertThat(condition)
                        .as(name + " waits for " + dependency)
                        .isEqualTo(Map.of("condition", "service_healthy"));
                  });
        });
    assertThat(dependencies(services.get("cdc"))).containsKeys("kafka", "registry", "postgres");
    assertThat(dependencies(services.get("mqtt"))).containsKeys("kafka", "registry", "mosquitto");
    assertThat(services.get("postgres").get("command").toString()).contains("wal_level=logical");
    assertThat(services.get("examples")).containsEntry("deploy", Map.of("replicas", 2));
  }

  @Test
  void everyRunnelVariableIsASettingTheCodeReads() {
    List<Pattern> settings = settingsAsVariables();
    services.forEach(
        (name, service) ->
            environment(service).keySet().stream()
                .filter(variable -> variable.startsWith("RUNNEL_"))
                .forEach(
                    variable ->
                        assertThat(settings)
                            .as(name + ": " + variable + " is no setting of " + settings)
                            .anyMatch(setting -> setting.matcher(variable).matches())));
  }

  @Test
  void healthChecksAndScrapesUseTheServicesPortsAndPathsTheAppsServe() throws Exception {
    Map<String, Integer> runnelPorts = new LinkedHashMap<>();
    for (var entry : services.entrySet()) {
      String image = (String) entry.getValue().get("image");
      if (!image.startsWith("runnel/")) {
        continue;
      }
      Map<String, Object> environment = environment(entry.getValue());
      int port =
          Integer.parseInt((String) environment.getOrDefault("MICRONAUT_SERVER_PORT", "8080"));
      runnelPorts.put(entry.getKey(), port);
      Matcher check = TCP_HEALTH_CHECK.matcher(String.join(" ", healthCheck(entry.getValue())));
      assertThat(check.find()).as(entry.getKey() + " health check").isTrue();
      assertThat(Integer.parseInt(check.group(1))).as(entry.getKey() + " port").isEqualTo(port);
      assertThat(get(dev.httpPort(), check.group(2)).statusCode())
          .as(entry.getKey() + " health path " + check.group(2))
          .isEqualTo(200);
    }
    assertThat(runnelPorts)
        .containsKeys("registry", "http-gateway", "cdc", "mqtt", "scheduler", "examples");

    Map<String, Object> prometheus;
    try (Reader reader = Files.newBufferedReader(COMPOSE.resolve("prometheus/prometheus.yml"))) {
      prometheus = new Yaml().load(reader);
    }
    Set<String> scraped = new TreeSet<>();
    for (Map<String, Object> job : list(prometheus.get("scrape_configs"))) {
      assertThat(job.get("metrics_path")).isEqualTo("/prometheus");
      assertThat(get(dev.httpPort(), "/prometheus").statusCode()).isEqualTo(200);
      for (Map<String, Object> targets : list(job.getOrDefault("static_configs", List.of()))) {
        for (Object target : (List<?>) targets.get("targets")) {
          String[] hostAndPort = target.toString().split(":");
          assertThat(runnelPorts).as(target.toString()).containsKey(hostAndPort[0]);
          assertThat(runnelPorts.get(hostAndPort[0]))
              .as(target.toString())
              .isEqualTo(Integer.parseInt(hostAndPort[1]));
          scraped.add(hostAndPort[0]);
        }
      }
      for (Map<String, Object> dns : list(job.getOrDefault("dns_sd_configs", List.of()))) {
        for (Object name : (List<?>) dns.get("names")) {
          assertThat(runnelPorts.get(name.toString()))
              .as(name.toString())
              .isEqualTo(dns.get("port"));
          scraped.add(name.toString());
        }
      }
    }
    assertThat(scraped).contains("http-gateway", "cdc", "mqtt", "scheduler", "examples");
  }

  @Test
  void everyMetricTheDashboardQueriesIsOneTheAppsExport() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, dev.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      // Not in the wire format: taken, then dead-lettered at the decode stage.
      producer.send(new ProducerRecord<>(MeteredFunction.TOPIC, "not avro".getBytes())).get();
    }
    // The gateway meters every request it takes, one to a path without a route too.
    HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + dev.httpPort() + "/no-route"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode dashboard =
        new ObjectMapper().readTree(COMPOSE.resolve("grafana/dashboards/runnel.json").toFile());
    List<String> queries = new ArrayList<>();
    dashboard.findValues("expr").forEach(expr -> queries.add(expr.asText()));
    dashboard.findValues("definition").forEach(definition -> queries.add(definition.asText()));
    Set<String> queried = new TreeSet<>();
    for (String query : queries) {
      Matcher metric = Pattern.compile("\\brunnel_[a-z_]+").matcher(query);
      while (metric.find()) {
        queried.add(metric.group());
      }
    }

    assertThat(queried)
        .contains(
            "runnel_function_records_total",
            "runnel_function_invocations_total",
            "runnel_function_invocation_seconds_bucket",
            "runnel_function_lag_records",
            "runnel_function_lag_seconds",
            "runnel_function_dead_letters_total",
            "runnel_function_in_flight",
            "runnel_http_requests_seconds_bucket");
    Await.until(
        "every metric the dashboard queries, " + queried + ", on /prometheus",
        Duration.ofSeconds(90),
        ComposeFileTest::exportedMetrics,
        exported -> exported.containsAll(queried));
  }

  /** The metric names on a Runnel app's {@code /prometheus}, as Prometheus stores them. */
  static Set<String> exportedMetrics() {
    try {
      Set<String> names = new TreeSet<>();
      Matcher sample =
          Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", Pattern.MULTILINE)
              .matcher(get(dev.httpPort(), "/prometheus").body());
      while (sample.find()) {
        names.add(sample.group(1));
      }
      return names;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Each setting a configuration class of the code reads, as the environment variable that sets it:
   * {@code runnel.kafka.bootstrap-servers} as {@code RUNNEL_KAFKA_BOOTSTRAP_SERVERS}; a map's or a
   * named entry's ({@code @EachProperty}) part as any name.
   */
  static List<Pattern> settingsAsVariables() {
    List<Pattern> settings = new ArrayList<>();
    try (ApplicationContext context =
        ApplicationContext.builder()
            .properties(
                Map.of(
                    "runnel.kafka.bootstrap-servers",
                    dev.bootstrapServers(),
                    "runnel.schema-registry.url",
                    dev.registryUrl(),
                    "runnel.runtime.enabled",
                    false,
                    "runnel.scheduler.enabled",
                    false))
            .start()) {
      // Every configuration class on the classpath, whether its bean would be enabled or not.
      for (BeanDefinitionReference<?> reference :
          ((DefaultApplicationContext) context).getBeanDefinitionReferences()) {
        String prefix =
            reference
                .stringValue(ConfigurationReader.class, "prefix")
                .or(() -> reference.stringValue(ConfigurationReader.class))
                .orElse(null);
        if (prefix == null || !prefix.startsWith("runnel.")) {
          continue;
        }
        if (reference.hasAnnotation(EachProperty.class) && !prefix.endsWith(".*")) {
          prefix += ".*";
        }
        String variablePrefix = variable(prefix).replace("_*", "_[A-Z0-9_]+");
        for (Method method : reference.getBeanType().getMethods()) {
          if (method.getName().startsWith("set") && method.getParameterCount() == 1) {
            String property = variable(kebab(method.getName().substring(3)));
            String any = Map.class.isAssignableFrom(method.getParameterTypes()[0]) ? "_.+" : "";
            settings.add(Pattern.compile(variablePrefix + "_" + property + any));
          }
        }
      }
    }
    return settings;
  }

  static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  static String variable(String property) {
    return property.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @SuppressWarnings("unchecked")
  static List<String> healthCheck(Map<String, Object> service) {
    Map<String, Object> check = (Map<String, Object>) service.get("healthcheck");
    return check == null ? List.of() : (List<String>) check.get("test");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> dependencies(Map<String, Object> service) {
    return (Map<String, Object>) service.getOrDefault("depends_on", Map.of());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> environment(Map<String, Object> service) {
    return (Map<String, Object>) service.getOrDefault("environment", Map.of());
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Object value) {
    return (List<Map<String, Object>>) value;
  }
}
