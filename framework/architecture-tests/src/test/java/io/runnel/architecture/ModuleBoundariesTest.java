package io.runnel.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The module table of CONTRIBUTING.md as rules: each module's classes use, of ours, only the
 * modules its row names (anything outside {@code io.runnel} is the pom's business). Change the
 * table and these rules together.
 */
@AnalyzeClasses(packages = "io.runnel", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundariesTest {

  // The packages of each module.
  private static final String[] CONTRACT_SCHEMAS = {
    "io.runnel.schedule..", "io.runnel.mqtt..", "io.runnel.usage.."
  };
  // Of the contract schemas, the usage records: what the runtime publishes and the CLI reads.
  private static final String[] USAGE_SCHEMA = {"io.runnel.usage.."};
  private static final String[] API = {"io.runnel.function.."};
  private static final String[] REGISTRY = {
    "io.runnel.registry",
    "io.runnel.registry.internals..",
    "io.runnel.registry.json..",
    "io.runnel.registry.serde.."
  };
  private static final String[] SUPPORT = {"io.runnel.support.."};
  private static final String[] REGISTRY_SERVER = {"io.runnel.registry.server.."};
  private static final String[] EMBEDDED_KAFKA = {"io.runnel.embedded.."};
  private static final String[] RUNTIME = {"io.runnel.runtime.."};
  private static final String[] STREAMS = {"io.runnel.streams.."};
  private static final String[] TEST_KIT = {"io.runnel.test.."};
  private static final String[] DEV = {"io.runnel.dev.."};
  private static final String[] CLI = {"io.runnel.cli.."};
  private static final String[] MANIFESTS = {"io.runnel.manifests.."};
  private static final String[] EXAMPLES = {"io.runnel.examples.."};
  private static final String[] HTTP_TRIGGER = {"io.runnel.connectors.http"};

  @ArchTest static final ArchRule contractSchemas = module(CONTRACT_SCHEMAS);

  @ArchTest static final ArchRule api = module(API);

  @ArchTest static final ArchRule registry = module(REGISTRY);

  @ArchTest static final ArchRule support = module(SUPPORT, API, REGISTRY);

  @ArchTest static final ArchRule registryServer = module(REGISTRY_SERVER, REGISTRY);

  @ArchTest static final ArchRule embeddedKafka = module(EMBEDDED_KAFKA);

  @ArchTest static final ArchRule runtime = module(RUNTIME, API, REGISTRY, SUPPORT, USAGE_SCHEMA);

  @ArchTest static final ArchRule streams = module(STREAMS, API, REGISTRY, SUPPORT);

  @ArchTest
  static final ArchRule testKit = module(TEST_KIT, API, REGISTRY, REGISTRY_SERVER, EMBEDDED_KAFKA);

  @ArchTest
  static final ArchRule dev =
      module(DEV, API, REGISTRY, SUPPORT, RUNTIME, REGISTRY_SERVER, EMBEDDED_KAFKA);

  @ArchTest static final ArchRule cli = module(CLI, API, REGISTRY, USAGE_SCHEMA);

  @ArchTest static final ArchRule manifests = module(MANIFESTS, API, REGISTRY, SUPPORT, RUNTIME);

  @ArchTest static final ArchRule cdcConnector = connector("cdc");

  @ArchTest static final ArchRule httpConnector = connector("http");

  @ArchTest static final ArchRule cronConnector = connector("cron");

  @ArchTest static final ArchRule mqttConnector = connector("mqtt");

  @ArchTest
  static final ArchRule functionExamples =
      module(EXAMPLES, API, REGISTRY, CONTRACT_SCHEMAS, HTTP_TRIGGER);

  @ArchTest
  static final ArchRule runtimeInternalsStayInsideTheRuntime =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.runnel.runtime..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.runnel.runtime.internals..")
          .because("internals can change without notice; other modules use the runtime's settings");

  @ArchTest
  static final ArchRule streamsInternalsStayInsideTheStreamsModule =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.runnel.streams..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.runnel.streams.internals..")
          .because("users meet @StreamsTopology and AvroSerdes; the rest can change");

  @ArchTest
  static final ArchRule theRuntimeAndTheApiKnowNothingOfHttp =
      noClasses()
          .that()
          .resideInAnyPackage(concat(RUNTIME, API))
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.micronaut.http..")
          .because("HTTP is a connector's business; request-reply is a generic header");

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("io.runnel.(**)").should().beFreeOfCycles();

  /** A connector: api, registry, support and the contract schemas, not the runtime, no other. */
  private static ArchRule connector(String name) {
    return module(
        new String[] {"io.runnel.connectors." + name + ".."},
        API,
        REGISTRY,
        SUPPORT,
        CONTRACT_SCHEMAS);
  }

  /** The classes of {@code module} use, of ours, only their own and those of {@code mayUse}. */
  private static ArchRule module(String[] module, String[]... mayUse) {
    String[] allowed =
        concat(module, Stream.of(mayUse).flatMap(Arrays::stream).toArray(String[]::new));
    return classes()
        .that()
        .resideInAnyPackage(module)
        .should()
        .onlyDependOnClassesThat(
            resideOutsideOfPackage("io.runnel..").or(resideInAnyPackage(allowed)))
        .allowEmptyShould(true)
        .as(
            String.join(", ", module)
                + " use, of ours, only "
                + String.join(", ", allowed)
                + " (CONTRIBUTING.md's module table)");
  }

  private static String[] concat(String[] first, String[] second) {
    return Stream.concat(Arrays.stream(first), Arrays.stream(second)).toArray(String[]::new);
  }
}
