package io.todocluster.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/Dockerfile as a list of instructions (comments dropped, continued lines joined), with
 * what the tests ask of it. Only the plain forms this Dockerfile uses are understood.
 */
record Dockerfile(List<Instruction> instructions) {

  static final Path FILE = Path.of("deploy", "Dockerfile");

  record Instruction(String keyword, String arguments) {
  }

  static Dockerfile read() throws IOException {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String line : Files.readAllLines(FILE)) {
      String trimmed = line.strip();
      if (pending.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      pending.append(trimmed);
      String[] parts = pending.toString().split("\\s+", 2);
      instructions.add(new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : ""));
      pending.setLength(0);
    }
    return new Dockerfile(instructions);
  }

  List<String> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
  }

  /** The last one counts, as in Docker. */
  String last(String keyword) {
    List<String> all = all(keyword);
    if (all.isEmpty()) {
      throw new AssertionError(FILE + " has no " + keyword);
    }
    return all.get(all.size() - 1);
  }

  List<Integer> exposedPorts() {
    List<Integer> ports = new ArrayList<>();
    for (String expose : all("EXPOSE")) {
      for (String port : expose.split("\\s+")) {
        ports.add(Integer.parseInt(port.replace("/tcp", "")));
      }
    }
    return ports;
  }

  /** ENTRYPOINT in its exec (JSON array) form. */
  List<String> entrypoint() {
    List<Object> parsed = Yamls.list(new Yaml().load(last("ENTRYPOINT")));
    return parsed.stream().map(Object::toString).toList();
  }

  String volume() {
    String volume = last("VOLUME");
    return volume.startsWith("[") ? Yamls.list(new Yaml().load(volume)).get(0).toString() : volume;
  }

  String uid() {
    return last("USER").split(":")[0];
  }

  String gid() {
    String[] user = last("USER").split(":");
    return user.length > 1 ? user[1] : user[0];
  }
}
