package io.todocluster.netns;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether this machine can run namespace tests: they need root (to create namespaces and links)
 * and the tools {@code ip} (iproute2), {@code nft} (nftables) and {@code ping} (iputils-ping) on
 * the PATH that ProcessBuilder uses. Tests skip with this message rather than fail, so that
 * `mvn verify` still passes for a developer without root; CI runs as root and installs the tools.
 */
public final class Prerequisites {

  private static final List<String> TOOLS = List.of("ip", "nft", "ping");

  private Prerequisites() {
  }

  /** Empty when all is there, else a sentence saying what is missing and how to get it. */
  public static Optional<String> missing() {
    List<String> problems = new ArrayList<>();
    if (!isRoot()) {
      problems.add("not running as root (namespaces, veths and nftables need it)");
    }
    List<String> absent = TOOLS.stream().filter(tool -> !onPath(tool)).toList();
    if (!absent.isEmpty()) {
      problems.add("missing on PATH: " + String.join(", ", absent)
          + " (apt-get install -y iproute2 nftables iputils-ping)");
    }
    return problems.isEmpty() ? Optional.empty()
        : Optional.of("network namespace tests skipped: " + String.join("; ", problems));
  }

  private static boolean isRoot() {
    try {
      return Sh.run("id", "-u").stdout().strip().equals("0");
    } catch (Sh.Failure e) {
      return false;
    }
  }

  private static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
