package io.todocluster.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One line about the machine a run was made on: cores, CPU model, memory, load, Java. */
final class Machine {

  private Machine() {}

  static String describe() {
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpuModel() + "), "
        + memTotal() + " RAM, load average " + loadAverage() + " at start, Java " + System.getProperty("java.version");
  }

  private static String cpuModel() {
    return firstValue(Path.of("/proc/cpuinfo"), "model name");
  }

  private static String memTotal() {
    String kb = firstValue(Path.of("/proc/meminfo"), "MemTotal").replaceAll("[^0-9]", "");
    return kb.isEmpty() ? "?" : (Long.parseLong(kb) / 1024 / 1024) + " GiB";
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static String firstValue(Path file, String key) {
    try {
      return Files.readAllLines(file).stream().filter(l -> l.startsWith(key)).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }
}
