package io.todocluster.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The CPU time the JIT compiler threads of some JVMs have used so far, read from Linux's
 * per-thread accounting ({@code /proc/<pid>/task/<tid>/stat}, in clock ticks). Compilation is what
 * keeps fresh JVMs from running at their steady rate: a 3-node cluster under the book's load still
 * spent ~30% of each node's CPU in HotSpot's compiler threads 40-50 s into its warm-up, while the
 * request rate already looked level. A load that waits for this to go quiet measures the system,
 * not the compiler.
 */
final class JitActivity implements LongSupplier {

  /** Linux's USER_HZ on every platform the JVM runs on here. */
  static final int TICKS_PER_SECOND = 100;

  private final List<Long> pids;

  private JitActivity(List<Long> pids) {
    this.pids = List.copyOf(pids);
  }

  /** The given JVMs and this one (the load generator compiles too, on the same cores). */
  static JitActivity of(List<Jvm> jvms) {
    return ofPids(jvms.stream().map(Jvm::pid).toList());
  }

  /** The JVMs of these process ids and this one. */
  static JitActivity ofPids(List<Long> others) {
    List<Long> pids = new ArrayList<>(others);
    pids.add(ProcessHandle.current().pid());
    return new JitActivity(pids);
  }

  /** Clock ticks the compiler threads of these JVMs have used so far (a JVM that ended counts 0). */
  @Override
  public long getAsLong() {
    long ticks = 0;
    for (long pid : pids) {
      try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
        for (Path thread : threads) {
          ticks += compilerTicks(thread);
        }
      } catch (IOException | RuntimeException gone) {
        // the JVM ended, or this is not Linux: nothing to count
      }
    }
    return ticks;
  }

  private static long compilerTicks(Path thread) {
    try {
      String name = Files.readString(thread.resolve("comm")).strip();
      if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
        return 0;
      }
      String stat = Files.readString(thread.resolve("stat"));
      // fields after the parenthesised name: state is field 3, utime 14 and stime 15 (1-based)
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException gone) {
      return 0; // the thread ended between the listing and the read
    }
  }
}
