package io.runnel.manifests;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.ConfigurationException;
import io.runnel.manifests.internals.AppDeclarations;
import io.runnel.manifests.internals.KubernetesManifests;
import io.runnel.manifests.internals.ManifestFiles;
import io.runnel.manifests.internals.ManifestOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the Kubernetes manifests of the function app on the classpath: started by {@code runnel
 * manifests} in a JVM with the app's classpath (or by hand: {@code java -cp <app's classpath>
 * io.runnel.manifests.ManifestsMain --out DIR}). It starts the app's Micronaut context without
 * consumers or HTTP server ({@code runnel.runtime.enabled=false}), so it needs no Kafka, reads the
 * functions' declarations and settings (from the app's {@code application.yml}, system properties
 * and the environment), checks them as start-up would, and writes the YAML files into {@code
 * --out}, all of them or, on a problem, none.
 *
 * <p>Exit codes: 0 written; 1 the app cannot be deployed (no function, a setting that does not
 * validate, an unwritable folder), with the reason on standard error; 2 bad usage.
 */
public final class ManifestsMain {

  /** The exit code of an app that cannot be deployed, or a folder that cannot be written. */
  public static final int FAILED = 1;

  /** The exit code of bad usage: an unknown option, or one without its value. */
  public static final int USAGE = 2;

  private ManifestsMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Writes the manifests as {@code args} say; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, Map.of(), out, err);
  }

  /** {@link #run(String[], PrintStream, PrintStream)} with {@code settings} over the app's own. */
  static int run(String[] args, Map<String, Object> settings, PrintStream out, PrintStream err) {
    ManifestOptions options;
    try {
      options = ManifestOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("runnel manifests: " + e.getMessage());
      return USAGE;
    }
    try (ApplicationContext context =
        ApplicationContext.builder()
            .properties(settings)
            .properties(Map.of("runnel.runtime.enabled", false))
            .deduceEnvironment(false)
            .start()) {
      String app =
          options
              .name()
              .or(() -> context.getProperty("micronaut.application.name", String.class))
              .orElseThrow(
                  () ->
                      new ConfigurationException(
                          "The app has no name: give --name, or set micronaut.application.name"));
      if (!ManifestOptions.isLabel(app)) {
        throw new ConfigurationException(
            "The app's name "
                + app
                + " is no Kubernetes name (lower case letters, digits and '-', at most 63): give"
                + " --name");
      }
      AppDeclarations declarations = AppDeclarations.read(context);
      Map<String, List<Map<String, Object>>> files =
          new KubernetesManifests(
                  app,
                  declarations,
                  FunctionAcls.of(
                      "User:" + app, declarations.functions(), declarations.usageTopic()),
                  options)
              .files();
      for (Path file : ManifestFiles.write(options.out(), files)) {
        out.println(file);
      }
      return 0;
    } catch (ConfigurationException e) {
      err.println("runnel manifests: " + e.getMessage());
      return FAILED;
    } catch (IOException e) {
      err.println("runnel manifests: cannot write " + options.out() + ": " + e);
      return FAILED;
    } catch (RuntimeException e) {
      // A bean of the app that does not start (a missing setting it requires, say).
      err.println("runnel manifests: the app's context did not start: " + e.getMessage());
      return FAILED;
    }
  }
}
