package io.runnel.examples;

import io.runnel.test.Await;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.net.ConnectException;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.namespace.QName;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.Yaml;

/**
 * One image of the build's image profile and the compose service that runs it, read from the
 * module's {@code pom.xml} (the Jib configuration of its {@code image} profile) and {@code
 * deploy/compose/compose.yml}. {@link #start} runs the image's entry point as its container would:
 * the Jib configuration's main class, on the module's classes and runtime dependencies in the order
 * Jib lays them out ({@code /app/resources}, {@code /app/classes}, {@code /app/libs}), in a JVM of
 * its own whose environment is only the image's and the service's.
 *
 * <p>The classpath is the one the module's build wrote to {@code target/image-classpath.txt}: build
 * the image modules first ({@code ./mvnw verify -pl function-examples -am} does).
 */
final class ImageEntryPoint {

  /** The repository: this module's parent folder. */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static final String JIB =
      "/project/profiles/profile[id='image']/build/plugins/plugin"
          + "[artifactId='jib-maven-plugin']/configuration";
  private static final String SHARED_JIB =
      "/project/profiles/profile[id='image']/build/pluginManagement/plugins/plugin"
          + "[artifactId='jib-maven-plugin']/configuration";
  private static final QName NODESET = XPathConstants.NODESET;
  private static final Pattern TCP_HEALTH_CHECK =
      Pattern.compile("/dev/tcp/localhost/(\\d+) .*'GET (\\S+) HTTP");

  final String service;
  final String module;

  /** The image's name as the build gives it, without a tag: {@code runnel/registry}. */
  final String imageName;

  final String mainClass;

  /** The folders every image gets in {@code /app/resources} (the root pom's extra directories). */
  final List<Path> extraResources;

  final List<String> ports;
  final Map<String, String> imageEnvironment;
  final String composeImage;
  final Map<String, String> composeEnvironment;
  final int healthCheckPort;
  final String healthCheckPath;

  @SuppressWarnings("unchecked")
  private ImageEntryPoint(String service, String module) throws Exception {
    this.service = service;
    this.module = module;
    XPath xpath = XPathFactory.newInstance().newXPath();
    Document pom = xml(ROOT.resolve(module).resolve("pom.xml"));
    Document rootPom = xml(ROOT.resolve("pom.xml"));
    this.imageName =
        xpath.evaluate("/project/profiles/profile[id='image']/properties/image.prefix", rootPom)
            + "/"
            + xpath.evaluate("/project/profiles/profile[id='image']/properties/image.name", pom);
    this.mainClass = xpath.evaluate(JIB + "/container/mainClass", pom);
    this.extraResources =
        texts(
                (NodeList)
                    xpath.evaluate(
                        SHARED_JIB + "/extraDirectories/paths/path[into='/app/resources']/from",
                        rootPom,
                        NODESET))
            .stream()
            .map(
                from ->
                    Path.of(from.replace("${maven.multiModuleProjectDirectory}", ROOT.toString())))
            .toList();
    this.ports = texts((NodeList) xpath.evaluate(JIB + "/container/ports/port", pom, NODESET));
    this.imageEnvironment = new LinkedHashMap<>();
    NodeList variables = (NodeList) xpath.evaluate(JIB + "/container/environment/*", pom, NODESET);
    for (int i = 0; i < variables.getLength(); i++) {
      Element variable = (Element) variables.item(i);
      imageEnvironment.put(variable.getTagName(), variable.getTextContent().trim());
    }

    Map<String, Object> composed = composeServices().get(service);
    if (composed == null) {
      throw new AssertionError("compose.yml has no service " + service);
    }
    this.composeImage = (String) composed.get("image");
    this.composeEnvironment = new LinkedHashMap<>();
    ((Map<?, ?>) composed.get("environment"))
        .forEach((name, value) -> composeEnvironment.put((String) name, String.valueOf(value)));
    String healthCheck =
        String.join(" ", (List<String>) ((Map<?, ?>) composed.get("healthcheck")).get("test"));
    Matcher matcher = TCP_HEALTH_CHECK.matcher(healthCheck);
    if (!matcher.find()) {
      throw new AssertionError(service + "'s health check is not an HTTP probe: " + healthCheck);
    }
    this.healthCheckPort = Integer.parseInt(matcher.group(1));
    this.healthCheckPath = matcher.group(2);
  }

  /** The image built by {@code module} that compose's {@code service} runs. */
  static ImageEntryPoint of(String service, String module) {
    try {
      return new ImageEntryPoint(service, module);
    } catch (Exception e) {
      throw new AssertionError("Cannot read the image of " + service + " (" + module + ")", e);
    }
  }

  /** compose.yml's services, by name, with YAML anchors and merge keys resolved. */
  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> composeServices() throws IOException {
    try (Reader reader =
        Files.newBufferedReader(ROOT.resolve("deploy").resolve("compose").resolve("compose.yml"))) {
      return (Map<String, Map<String, Object>>)
          ((Map<String, Object>) new Yaml().load(reader)).get("services");
    }
  }

  /**
   * The images' extra resources, the module's classes, then its runtime dependencies in the build's
   * order.
   */
  List<String> classpath() throws IOException {
    Path written = ROOT.resolve(module).resolve("target").resolve("image-classpath.txt");
    if (!Files.exists(written)) {
      throw new AssertionError(
          written + " is missing: build " + module + " first (-pl function-examples -am)");
    }
    List<String> classpath = new ArrayList<>();
    extraResources.forEach(folder -> classpath.add(folder.toString()));
    classpath.add(ROOT.resolve(module).resolve("target").resolve("classes").toString());
    for (String entry : Files.readString(written).trim().split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        classpath.add(entry);
      }
    }
    return classpath;
  }

  /**
   * Starts the entry point with the image's environment, then the service's from compose.yml with
   * each value found in {@code replacements} replaced (the test's broker for {@code kafka:9092},
   * ...), then {@code additions}; the HTTP port is {@code port}. Output goes to {@code log}.
   */
  Running start(Map<String, String> replacements, Map<String, String> additions, int port, Path log)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder =
        new ProcessBuilder(java, "-cp", String.join(File.pathSeparator, classpath()), mainClass)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> environment = builder.environment();
    environment.clear();
    environment.putAll(imageEnvironment);
    composeEnvironment.forEach(
        (name, value) -> environment.put(name, replacements.getOrDefault(value, value)));
    environment.putAll(additions);
    environment.put("MICRONAUT_SERVER_PORT", String.valueOf(port));
    return new Running(builder.start(), port, log);
  }

  /** A started entry point: its process, HTTP port and output. */
  record Running(Process process, int port, Path log) implements AutoCloseable {

    /** Waits until {@code path} answers {@code status}; fails at once if the process ends. */
    HttpResponse<String> awaitAnswer(String path, int status, Duration patience) {
      URI uri = URI.create("http://localhost:" + port + path);
      try (HttpClient client = HttpClient.newHttpClient()) {
        return Await.until(
            uri + " to answer " + status,
            patience,
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError(
                    "The entry point ended with " + process.exitValue() + ": " + output());
              }
              try {
                return client.send(
                    HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
              } catch (ConnectException e) {
                return null;
              } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
              }
            },
            response -> response != null && response.statusCode() == status);
      }
    }

    /** SIGTERM, as a container is stopped; the exit code once the process has ended. */
    int stop(Duration patience) throws InterruptedException {
      process.destroy();
      if (!process.waitFor(patience.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("Still running " + patience + " after SIGTERM: " + output());
      }
      return process.exitValue();
    }

    /** Waits until the process has written a line containing {@code text}, and returns it. */
    String awaitLine(String text, Duration patience) {
      return Await.until(
          "a line with '" + text + "' in the output",
          patience,
          () -> {
            try {
              return Files.readAllLines(log).stream()
                  .filter(line -> line.contains(text))
                  .findFirst()
                  .orElse(null);
            } catch (IOException e) {
              throw new AssertionError(e);
            }
          },
          line -> line != null);
    }

    /** The last lines the process wrote, for failure messages. */
    String output() {
      try {
        List<String> lines = Files.readAllLines(log);
        return "\n"
            + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
      } catch (IOException e) {
        return "(no output: " + e + ")";
      }
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  private static Document xml(Path file) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
  }

  private static List<String> texts(NodeList nodes) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent().trim());
    }
    return texts;
  }
}
