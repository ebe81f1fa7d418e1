package io.todocluster.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The harness's section of BENCHMARKS.md: how it was made, then the table. */
final class Report {

  private Report() {}

  static String section(String command, String machine, List<Figure> figures, List<String> failures) {
    StringBuilder s = new StringBuilder();
    s.append("## Results (").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(")\n\n");
    s.append("Command: `").append(command).append("`\n\n");
    s.append("Machine: ").append(machine).append(".\n\n");
    s.append("Each figure is measured beside its baseline in the same run; the ratio is ours / baseline.\n\n");
    s.append(ResultTable.markdown(figures));
    if (!failures.isEmpty()) {
      s.append("\nFailed in this run:\n\n");
      failures.forEach(f -> s.append("- ").append(f).append('\n'));
    }
    return s.toString();
  }
}
