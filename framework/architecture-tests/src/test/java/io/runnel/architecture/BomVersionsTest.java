package io.runnel.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The BOM (framework/bom) has no parent, so that importing it brings only its own entries: these
 * checks keep its versions those the build itself compiles and tests with.
 */
class BomVersionsTest {

  private static final Path ROOT = Path.of("..", "..");
  private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

  @Test
  void everyEntryOfTheBomHasTheVersionTheBuildManages() throws Exception {
    Map<String, String> bom = managedVersions(ROOT.resolve("framework/bom/pom.xml"));
    Map<String, String> build = managedVersions(ROOT.resolve("pom.xml"));
    assertThat(bom).isNotEmpty();
    bom.forEach(
        (artifact, version) ->
            assertThat(build.get(artifact))
                .as("the build's version of " + artifact)
                .isEqualTo(version));
  }

  /** groupId:artifactId to version of a pom's dependencyManagement, properties resolved. */
  private static Map<String, String> managedVersions(Path pom) throws Exception {
    Document document =
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    Element project = document.getDocumentElement();
    Map<String, String> properties = new HashMap<>();
    properties.put("project.version", text(project, "version"));
    Element propertiesElement = child(project, "properties");
    NodeList declared = propertiesElement.getChildNodes();
    for (int i = 0; i < declared.getLength(); i++) {
      if (declared.item(i) instanceof Element property) {
        properties.put(property.getTagName(), property.getTextContent().trim());
      }
    }
    Map<String, String> versions = new HashMap<>();
    Element dependencies = child(child(project, "dependencyManagement"), "dependencies");
    NodeList entries = dependencies.getElementsByTagName("dependency");
    for (int i = 0; i < entries.getLength(); i++) {
      Element entry = (Element) entries.item(i);
      versions.put(
          text(entry, "groupId") + ":" + text(entry, "artifactId"),
          resolve(text(entry, "version"), properties));
    }
    return versions;
  }

  private static String resolve(String value, Map<String, String> properties) {
    Matcher matcher = PROPERTY.matcher(value);
    StringBuilder resolved = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(
          resolved, Matcher.quoteReplacement(properties.getOrDefault(matcher.group(1), "?")));
    }
    return matcher.appendTail(resolved).toString();
  }

  private static Element child(Element parent, String name) {
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && element.getTagName().equals(name)) {
        return element;
      }
    }
    throw new AssertionError(parent.getTagName() + " has no <" + name + ">");
  }

  private static String text(Element parent, String name) {
    return child(parent, name).getTextContent().trim();
  }
}
