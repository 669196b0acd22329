package io.runnel.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The architecture as rules: what each part may depend on. */
@AnalyzeClasses(packages = "io.runnel", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundariesTest {

  @ArchTest
  static final ArchRule apiImportsNothingElseOfOurs =
      classes()
          .that()
          .resideInAPackage("io.runnel.function..")
          .should()
          .onlyDependOnClassesThat(
              resideOutsideOfPackage("io.runnel..").or(resideInAPackage("io.runnel.function..")))
          .because("the user-facing API must stay small and free of the engine");

  @ArchTest
  static final ArchRule runtimeInternalsStayInsideTheRuntime =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.runnel.runtime..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.runnel.runtime.internals..")
          .because(
              "internals can change without notice; users and other modules use the API and settings");

  @ArchTest
  static final ArchRule connectorsUseOnlyTheApiTheRegistryAndSharedSettings =
      noClasses()
          .that()
          .resideInAPackage("io.runnel.connectors..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.runnel.runtime.internals..",
              "io.runnel.dev..",
              "io.runnel.embedded..",
              "io.runnel.registry.server..")
          .because(
              "connectors share the runnel.kafka and runnel.schema-registry settings, nothing of the"
                  + " engine");

  @ArchTest
  static final ArchRule functionsUseOnlyTheApi =
      noClasses()
          .that()
          .resideInAPackage("io.runnel.examples..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.runnel.runtime..",
              "io.runnel.dev..",
              "io.runnel.embedded..",
              "io.runnel.registry.server..");

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("io.runnel.(**)").should().beFreeOfCycles();
}
