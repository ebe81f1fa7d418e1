package io.todocluster.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.todocluster.bench.Figure.Goal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The harness's pieces on tiny inputs: ratio and verdict math, the table, the report's rewrite. No timing. */
class BenchHarnessTest {

  @Test
  @DisplayName("a ratio is ours over the baseline, and the goal's direction decides the verdict")
  void ratioAndVerdict() {
    Figure fast = new Figure("read", "req/s", 800, "req/s", "plain route", 1_000, Goal.atLeast(0.7));
    Figure slow = new Figure("read", "req/s", 600, "req/s", "plain route", 1_000, Goal.atLeast(0.7));
    Figure quickFailover = new Figure("failover", "ms", 500, "ms", "HA", 2_500, Goal.atMost(0.2));
    Figure slowFailover = new Figure("failover", "ms", 501, "ms", "HA", 2_500, Goal.atMost(0.2));

    assertThat(fast.ratio()).isEqualTo(0.8);
    assertThat(fast.verdict()).isEqualTo("met");
    assertThat(slow.verdict()).isEqualTo("MISSED");
    assertThat(quickFailover.verdict()).isEqualTo("met");
    assertThat(slowFailover.verdict()).isEqualTo("MISSED");
  }

  @Test
  @DisplayName("a figure without a baseline, or with a zero baseline, has no ratio and no verdict")
  void noBaseline() {
    Figure alone = Figure.alone("book", "req/s on 1 node", 999, "req/s");
    Figure zero = new Figure("read", "req/s", 5, "req/s", "broken baseline", 0, Goal.atLeast(0.7));

    assertThat(alone.ratio()).isNaN();
    assertThat(alone.verdict()).isEqualTo("-");
    assertThat(zero.ratio()).isNaN();
    assertThat(zero.verdict()).isEqualTo("-");
  }

  @Test
  @DisplayName("the text table aligns every column to its widest cell and shows the ratio to two decimals")
  void textTable() {
    String table = ResultTable.text(List.of(
        new Figure("read", "GET req/s", 2_575, "req/s", "plain route", 14_911, Goal.atLeast(0.7)),
        Figure.alone("book", "p99", 109.5, "ms")));
    List<String> lines = table.lines().toList();

    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("benchmark  figure");
    assertThat(lines.get(1)).contains("2,575 req/s", "14,911 req/s", "0.17", ">= 0.70", "MISSED");
    assertThat(lines.get(2)).contains("110 ms");
    // the second column starts at the same place on every line
    int column = lines.get(0).indexOf("figure");
    assertThat(lines.get(1).substring(column)).startsWith("GET req/s");
    assertThat(lines.get(2).substring(column)).startsWith("p99");
  }

  @Test
  @DisplayName("the Markdown table has a header, a rule and one row per figure, with '|' escaped")
  void markdownTable() {
    String table = ResultTable.markdown(List.of(
        new Figure("write", "POST a|b", 0.5, "ms", "puts", 0.25, null)));
    List<String> lines = table.lines().toList();

    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).isEqualTo("|---|---|---|---|---|---|---|---|");
    assertThat(lines.get(2)).isEqualTo("| write | POST a\\|b | 0.50 ms | puts | 0.25 ms | 2.00 | - | - |");
  }

  @Test
  @DisplayName("rewriting BENCHMARKS.md replaces only the text between the markers and keeps other sections")
  void rewriteKeepsOtherSections() {
    String first = BenchmarksFile.rewrite("", "## Results\nold figures");
    String withEncryption = first + "\n## Encryption cost\nhand-written, keep me\n";

    String rewritten = BenchmarksFile.rewrite(withEncryption, "## Results\nnew figures");

    assertThat(rewritten).contains("new figures", "## Encryption cost\nhand-written, keep me\n");
    assertThat(rewritten).doesNotContain("old figures");
    assertThat(rewritten.indexOf(BenchmarksFile.BEGIN)).isEqualTo(rewritten.lastIndexOf(BenchmarksFile.BEGIN));
  }

  @Test
  @DisplayName("a BENCHMARKS.md written by hand without markers keeps all its text, with the results put under its title")
  void rewriteWithoutMarkers() {
    String rewritten = BenchmarksFile.rewrite("# Benchmarks\n\n## Encryption cost\nkeep\n", "## Results\nfigures");

    assertThat(rewritten).startsWith("# Benchmarks\n\n" + BenchmarksFile.BEGIN);
    assertThat(rewritten).endsWith("## Encryption cost\nkeep\n");
    assertThat(rewritten).contains("figures\n" + BenchmarksFile.END);
  }

  @Test
  @DisplayName("a JSON body of the baseline server has exactly the size asked for")
  void baselineBodySize() {
    assertThat(BaselineServer.jsonOfSize(612)).hasSize(612).startsWith("[\"").endsWith("\"]");
    assertThat(BaselineServer.jsonOfSize(3)).hasSize(3);
  }

  @Test
  @DisplayName("a node's log timestamp reads as the epoch millis of that local time")
  void logTimestamp() {
    long millis = NodeLog.epochMillis("2026-12-01 07:11:18.471");
    long back = java.time.LocalDateTime.of(2026, 12, 1, 7, 11, 18, 471_000_000)
        .atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();
    assertThat(millis).isEqualTo(back);
  }

  @Test
  @DisplayName("a class histogram's rows are summed by class, and the growth between two is ranked largest first")
  void classHistogramGrowth() {
    String before = """
         num     #instances         #bytes  class name (module)
        -------------------------------------------------------
           1:          1000          40000  [Ljava.lang.Object; (java.base@17.0.15)
           2:           500          12000  java.lang.String (java.base@17.0.15)
        Total          1500          52000
        """;
    String after = """
           1:          3000         440000  [Ljava.lang.Object; (java.base@17.0.15)
           2:           600          14400  java.lang.String (java.base@17.0.15)
           3:           100           3200  io.todocluster.todo.TodoServer
        """;

    var grown = ClassHistogram.topGrowth(ClassHistogram.parse(before), ClassHistogram.parse(after), 2);

    assertThat(ClassHistogram.total(ClassHistogram.parse(before))).isEqualTo(52_000);
    assertThat(grown).extracting(e -> e.getKey()).containsExactly("[Ljava.lang.Object;", "io.todocluster.todo.TodoServer");
    assertThat(grown.get(0).getValue()).isEqualTo(400_000);
  }

  @Test
  @DisplayName("a JVM given its own collector runs without the default one, since the JVM refuses two")
  void ownCollectorReplacesDefault() {
    assertThat(JvmFleet.java(List.of("-XX:+UseParallelGC"))).contains("-XX:+UseParallelGC").doesNotContain("-XX:+UseSerialGC")
        .contains("-Xmx256m");
    assertThat(JvmFleet.java(List.of("-Xlog:gc"))).contains("-XX:+UseSerialGC", "-Xlog:gc");
  }

  @Test
  @DisplayName("a load at a level rate is not warm while its JVMs' compilers still work, and is once they go quiet")
  void warmupWaitsForTheJit() {
    long[] compilerTicks = {0};
    Warmup warmup = new Warmup(Duration.ZERO, Duration.ofHours(1), Duration.ofSeconds(10), () -> compilerTicks[0]);
    for (int slice = 0; slice < 10; slice++) {
      compilerTicks[0] += 60; // 30% of a core over each 2 s slice
      completeSlice(warmup, 1_000);
    }
    assertThat(warmup.measuring()).as("a level rate, but the compilers busy").isFalse();

    completeSlice(warmup, 1_000); // the compilers used nothing over this slice
    assertThat(warmup.measuring()).isTrue();
    assertThat(warmup.describe()).endsWith("(steady, JIT quiet)");
  }

  @Test
  @DisplayName("without its JVMs, a load is warm once its rate is level")
  void warmupWithoutJvms() {
    Warmup warmup = new Warmup(Duration.ZERO, Duration.ofHours(1), Duration.ofSeconds(10));
    for (int slice = 0; slice < 2 * Warmup.SLICES; slice++) {
      completeSlice(warmup, 1_000);
    }
    assertThat(warmup.measuring()).isTrue();
    assertThat(warmup.describe()).endsWith("(steady)");
  }

  @Test
  @DisplayName("the JIT activity of a JVM is read from its compiler threads' CPU time in /proc")
  void jitActivityOfThisJvm() {
    // a JVM that has run JUnit has compiled for well over one clock tick (10 ms); a misread of
    // the stat line (wrong fields, wrong thread names) reads as 0
    assertThat(JitActivity.ofPids(List.of()).getAsLong()).isPositive();
  }

  private static void completeSlice(Warmup warmup, int requests) {
    for (int i = 0; i < requests; i++) {
      warmup.completed();
    }
    warmup.tick();
  }
}
