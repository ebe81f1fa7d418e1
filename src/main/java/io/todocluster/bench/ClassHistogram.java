package io.todocluster.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the live heap holds by class ({@code jcmd <pid> GC.class_histogram}, which runs a full GC
 * first), and the difference between two of them: what N processes cost, class by class.
 */
final class ClassHistogram {

  /** " 1:   12345   678900  java.lang.String (java.base@17)" */
  static final Pattern ROW = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

  private ClassHistogram() {}

  /** Bytes by class name. */
  static Map<String, Long> parse(String jcmdOutput) {
    Map<String, Long> bytes = new HashMap<>();
    Matcher m = ROW.matcher(jcmdOutput);
    while (m.find()) {
      bytes.merge(m.group(3), Long.parseLong(m.group(2)), Long::sum);
    }
    return bytes;
  }

  /** All live bytes of a histogram. */
  static long total(Map<String, Long> histogram) {
    return histogram.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The classes that grew most from before to after, largest first, with their growth in bytes. */
  static List<Map.Entry<String, Long>> topGrowth(Map<String, Long> before, Map<String, Long> after, int limit) {
    Map<String, Long> growth = new HashMap<>();
    after.forEach((cls, b) -> growth.put(cls, b - before.getOrDefault(cls, 0L)));
    return growth.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(limit)
        .toList();
  }
}
