package io.todocluster.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.cli.ConfigLoader;
import io.todocluster.node.NodeConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("deploy/Dockerfile")
class DockerfileTest {

  @Test
  @DisplayName("it exposes exactly the ports a node listens on with the defaults: HTTP, JGroups, FD_SOCK2, bridge")
  void exposesTheNodesPorts() throws IOException {
    NodeConfig defaults = new ConfigLoader(Map.of()).load(Map.of());

    assertThat(Dockerfile.read().exposedPorts())
        .containsExactlyInAnyOrderElementsOf(NodePorts.of(defaults).values());
    assertThat(NodePorts.of(defaults)).containsEntry(NodePorts.FD_SOCK, ConfigLoader.DEFAULT_CLUSTER_PORT + 100);
  }

  @Test
  @DisplayName("it runs the fat jar on a Java 17 JRE with IPv4 preferred, as a non-root user")
  void runsTheJar() throws IOException {
    Dockerfile image = Dockerfile.read();

    assertThat(image.last("FROM")).startsWith("eclipse-temurin:17-jre");
    assertThat(image.uid()).isNotIn("root", "0").matches("[0-9]+");
    List<String> entrypoint = image.entrypoint();
    assertThat(entrypoint.get(0)).isEqualTo("java");
    assertThat(entrypoint).contains("-Djava.net.preferIPv4Stack=true");
    String jar = entrypoint.get(entrypoint.indexOf("-jar") + 1);
    assertThat(image.all("COPY")).contains("target/todo-cluster.jar " + jar);
  }

  @Test
  @DisplayName("its volume is the node's default data dir, resolved in its working directory")
  void volumeIsTheDataDir() throws IOException {
    Dockerfile image = Dockerfile.read();

    Path dataDir = Path.of(image.last("WORKDIR")).resolve(ConfigLoader.DEFAULT_DATA_DIR).normalize();
    assertThat(Path.of(image.volume())).isEqualTo(dataDir);
  }
}
