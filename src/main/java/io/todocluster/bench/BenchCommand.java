package io.todocluster.bench;

import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code todo-cluster bench [--quick] [--only read,failover,...]}: starts the clusters each
 * benchmark needs as node JVMs from the fat jar on loopback, measures ours and its baseline in the
 * same run, prints a table and rewrites the harness's section of BENCHMARKS.md.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Runs the benchmarks (each beside its baseline, same run) and rewrites BENCHMARKS.md.",
    footerHeading = "%n",
    footer = "BENCHMARKS.md is rewritten by a full run (no --quick, no --only) or when --out is given."
        + " Exit codes: 0 every benchmark ran, 1 one failed (its JVMs' logs are kept), 2 bad usage.")
public final class BenchCommand implements Callable<Integer> {

  /** In the order the issue ranks them; --only keeps this order. */
  static final List<Benchmark> ALL = List.of(new ReadPathBench(), new FailoverBench(false), new WritePathBench(),
      new FootprintBench(), new BookWorkloadBench(), new LatencyBench(), new ProcessCostBench(), new FailoverBench(true), new MembershipBench(),
      new ReadyBench());

  @Spec
  private CommandSpec spec;

  @Option(names = "--quick", description = "A short smoke version of each benchmark (small sizes, 2 s windows).")
  private boolean quick;

  @Option(names = "--only", split = ",", paramLabel = "<name>",
      description = "Runs only these benchmarks (of: read, failover, write, footprint, book, latency, processes, silent, membership, ready).")
  private List<String> only;

  @Option(names = "--out", paramLabel = "<file>", description = "The report to rewrite (default: BENCHMARKS.md for a full run).")
  private Path out;

  @Option(names = "--jar", paramLabel = "<jar>", description = "The fat jar to start nodes from (default: this jar).")
  private Path jar;

  @Override
  public Integer call() throws Exception {
    PrintWriter printer = spec.commandLine().getOut();
    List<Benchmark> selected = select();
    Path nodeJar = jar != null ? jar : defaultJar();
    List<Figure> figures = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    Vertx vertx = Vertx.vertx();
    JvmFleet fleet = new JvmFleet(nodeJar);
    String machine = Machine.describe();
    try {
      BenchContext context = new BenchContext(fleet, vertx, quick, printer);
      context.progress("bench%s: %s from %s; %s", quick ? " --quick" : "",
          selected.stream().map(Benchmark::name).collect(Collectors.joining(",")), nodeJar, machine);
      for (Benchmark benchmark : selected) {
        context.progress("[%s] %s", benchmark.name(), benchmark.title());
        long began = System.nanoTime();
        try {
          List<Figure> measured = benchmark.run(context);
          figures.addAll(measured);
          context.progress("[%s] done in %.0f s", benchmark.name(), (System.nanoTime() - began) / 1e9);
        } catch (Exception e) {
          failures.add(benchmark.name() + ": " + e);
          context.progress("[%s] FAILED: %s (logs kept in %s)", benchmark.name(), e, fleet.workDir());
        } finally {
          fleet.killAll();
        }
      }
    } finally {
      fleet.close(!failures.isEmpty() || Boolean.getBoolean("todo.bench.keepLogs"));
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
    printer.println();
    printer.print(ResultTable.text(figures));
    failures.forEach(f -> printer.println("FAILED " + f));
    Path report = out != null ? out : (!quick && only == null ? Path.of("BENCHMARKS.md") : null);
    if (report != null) {
      String existing = Files.exists(report) ? Files.readString(report) : "";
      Files.writeString(report, BenchmarksFile.rewrite(existing, Report.section(commandLine(), machine, figures, failures)));
      printer.println("wrote " + report);
    }
    printer.flush();
    return failures.isEmpty() ? 0 : 1;
  }

  private List<Benchmark> select() {
    if (only == null) {
      return ALL;
    }
    Set<String> names = new LinkedHashSet<>(only);
    List<Benchmark> selected = ALL.stream().filter(b -> names.contains(b.name())).toList();
    names.removeAll(selected.stream().map(Benchmark::name).toList());
    if (!names.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "unknown benchmark(s) " + names
          + ", known: " + ALL.stream().map(Benchmark::name).toList());
    }
    return selected;
  }

  private String commandLine() {
    StringBuilder command = new StringBuilder("java -jar target/todo-cluster.jar bench");
    if (quick) {
      command.append(" --quick");
    }
    if (only != null) {
      command.append(" --only ").append(String.join(",", only));
    }
    return command.toString();
  }

  /** The jar this command runs from, else the build's. */
  static Path defaultJar() {
    try {
      Path self = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (self.toString().endsWith(".jar")) {
        return self;
      }
    } catch (Exception notFromAJar) {
      // classes directory (tests, IDE)
    }
    return Path.of("target", "todo-cluster.jar");
  }
}
