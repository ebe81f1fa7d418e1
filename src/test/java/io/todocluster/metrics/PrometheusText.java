package io.todocluster.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A reader of the Prometheus text exposition format, just enough for tests: every sample line
 * {@code name{labels} value} becomes an entry "name{labels}" -> value; comments are kept apart
 * by metric name ({@code # TYPE name kind}).
 */
final class PrometheusText {

  final Map<String, Double> samples = new LinkedHashMap<>();
  final Map<String, String> types = new LinkedHashMap<>();

  static PrometheusText parse(String text) {
    PrometheusText page = new PrometheusText();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring("# TYPE ".length()).split(" ");
        page.types.put(parts[0], parts[1]);
      } else if (!line.startsWith("#")) {
        // the value is the last field; label values may hold spaces, so split from the end
        int space = line.lastIndexOf(' ');
        String series = line.substring(0, space);
        page.samples.put(series, Double.parseDouble(line.substring(space + 1)));
      }
    }
    return page;
  }

  /** The value of one series, which must exist. */
  double value(String series) {
    Double value = samples.get(series);
    if (value == null) {
      throw new AssertionError("no series " + series + " on the page");
    }
    return value;
  }

  /** The sum over every series whose name matches (0 when none does). */
  double sum(Predicate<String> series) {
    return samples.entrySet().stream().filter(e -> series.test(e.getKey())).mapToDouble(Map.Entry::getValue).sum();
  }

  boolean has(Predicate<String> series) {
    return samples.keySet().stream().anyMatch(series);
  }
}
