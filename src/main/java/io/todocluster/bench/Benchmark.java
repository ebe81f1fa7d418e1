package io.todocluster.bench;

import java.util.List;

/** One benchmark of the harness: starts what it needs through the context, measures, stops it. */
interface Benchmark {

  /** Its name for {@code --only}. */
  String name();

  /** A line for the progress output and the report. */
  String title();

  /** Runs it: ours and its baseline in the same run. */
  List<Figure> run(BenchContext context) throws Exception;
}
