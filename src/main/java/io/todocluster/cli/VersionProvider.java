package io.todocluster.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version Maven built into the jar: maven-jar-plugin writes it to pom.properties, which the
 * shaded jar keeps, so the version lives in the pom only. Run from classes, there is none.
 */
final class VersionProvider implements IVersionProvider {

  private static final String POM_PROPERTIES =
      "/META-INF/maven/io.todocluster/todo-cluster/pom.properties";

  @Override
  public String[] getVersion() {
    return new String[] {Main.COMMAND_NAME + " " + version(),
        "Java " + Runtime.version() + ", " + System.getProperty("java.vm.name")};
  }

  private static String version() {
    try (InputStream in = VersionProvider.class.getResourceAsStream(POM_PROPERTIES)) {
      if (in == null) {
        return "(development build)";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "(unknown version)");
    } catch (IOException e) {
      return "(unknown version)";
    }
  }
}
