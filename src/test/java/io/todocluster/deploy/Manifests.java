package io.todocluster.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes objects of {@code deploy/k8s}, rendered as {@code kubectl apply -k} would:
 * by {@code kubectl kustomize} when kubectl is on the PATH, else by reading the files the
 * kustomization lists (it uses no generator or transformer, so they are the whole output).
 */
final class Manifests {

  static final Path K8S = Path.of("deploy", "k8s");
  private static final long KUSTOMIZE_TIMEOUT_SECONDS = 60;

  private final List<Map<String, Object>> objects;

  private Manifests(List<Map<String, Object>> objects) {
    this.objects = List.copyOf(objects);
  }

  /** Rendered by kubectl when there is one, else from the listed files. */
  static Manifests render() {
    return kubectl().map(Manifests::kustomize).orElseGet(Manifests::fromFiles);
  }

  /** The files the kustomization lists, read with SnakeYAML. */
  static Manifests fromFiles() {
    Map<String, Object> kustomization = Yamls.map(new Yaml().load(read(K8S.resolve("kustomization.yaml"))));
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Object resource : Yamls.list(kustomization.get("resources"))) {
      for (Object document : new Yaml().loadAll(read(K8S.resolve(resource.toString())))) {
        if (document != null) {
          objects.add(Yamls.map(document));
        }
      }
    }
    return new Manifests(objects);
  }

  static Manifests kustomize(Path kubectl) {
    try {
      Process process = new ProcessBuilder(kubectl.toString(), "kustomize", K8S.toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(KUSTOMIZE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("kubectl kustomize did not finish in " + KUSTOMIZE_TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("kubectl kustomize failed with exit code " + process.exitValue());
      }
      List<Map<String, Object>> objects = new ArrayList<>();
      for (Object document : new Yaml().loadAll(output)) {
        objects.add(Yamls.map(document));
      }
      return new Manifests(objects);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** kubectl on the PATH, if any. */
  static Optional<Path> kubectl() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  List<Map<String, Object>> all() {
    return objects;
  }

  /** The one object of this kind and name; fails when there is none. */
  Map<String, Object> get(String kind, String name) {
    return objects.stream()
        .filter(o -> kind.equals(o.get("kind")) && name.equals(Yamls.at(o, "metadata", "name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + K8S));
  }

  /** The objects of a kind. */
  List<Map<String, Object>> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
