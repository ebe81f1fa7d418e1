package io.todocluster.bench;

/**
 * One measured figure beside the baseline measured in the same run, and the goal its ratio is
 * held to. Absolute figures on a shared 2-core machine are noise; the ratio is what is compared.
 *
 * @param benchmark the benchmark it came from (its {@code --only} name)
 * @param what what was measured, e.g. "GET entries req/s"
 * @param value ours
 * @param unit of both values
 * @param baseline what the baseline is, e.g. "plain Vert.x Web route"; null when there is none
 * @param baselineValue the baseline's value, NaN when there is none
 * @param goal the goal on the ratio, or null when the issue sets none
 */
public record Figure(String benchmark, String what, double value, String unit, String baseline,
    double baselineValue, Goal goal) {

  /** A figure with no baseline (reported as measured; the issue asks for it without a goal). */
  public static Figure alone(String benchmark, String what, double value, String unit) {
    return new Figure(benchmark, what, value, unit, null, Double.NaN, null);
  }

  /** ours / baseline; NaN when there is no baseline or it is zero. */
  public double ratio() {
    if (baseline == null || Double.isNaN(baselineValue) || baselineValue == 0) {
      return Double.NaN;
    }
    return value / baselineValue;
  }

  /** "met", "MISSED", or "-" when there is no goal or nothing to compare. */
  public String verdict() {
    double ratio = ratio();
    if (goal == null || Double.isNaN(ratio) || Double.isNaN(value)) {
      return "-";
    }
    return goal.isMetBy(ratio) ? "met" : "MISSED";
  }

  /** A bound on the ratio: at least (throughput) or at most (times, bytes). */
  public record Goal(boolean atLeast, double bound) {

    public static Goal atLeast(double bound) {
      return new Goal(true, bound);
    }

    public static Goal atMost(double bound) {
      return new Goal(false, bound);
    }

    boolean isMetBy(double ratio) {
      return atLeast ? ratio >= bound : ratio <= bound;
    }

    @Override
    public String toString() {
      return (atLeast ? ">= " : "<= ") + ResultTable.number(bound);
    }
  }
}
