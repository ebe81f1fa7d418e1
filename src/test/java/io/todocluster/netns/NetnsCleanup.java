package io.todocluster.netns;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The machine-wide side of {@link TestNetwork}: one run at a time, and removal of what a dead run
 * left behind. Names are matched by pattern (tc-XXXXXX-nN, tcbr-XXXXXX, tcv-XXXXXX-N with six hex
 * digits) so that nothing that is not ours is ever touched.
 */
final class NetnsCleanup {

  private static final Path LOCK = Path.of("/run/todocluster-netns.lock");
  private static final Pattern OUR_NAMESPACE = Pattern.compile("tc-[0-9a-f]{6}-n\\d+");
  private static final Pattern OUR_LINK = Pattern.compile("tc(br|v)-[0-9a-f]{6}(-\\d+)?");

  private NetnsCleanup() {
  }

  /**
   * Holds the lock until the returned channel is closed, or the JVM dies (the kernel drops fcntl
   * locks of a dead process, so a crashed run never blocks the next one).
   */
  static FileChannel lock() {
    try {
      FileChannel channel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (System.nanoTime() < deadline) {
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          channel.close();
          throw new IllegalStateException("this JVM already has an open TestNetwork: close it first"
              + " (198.18.0.0/24 can be on one bridge only)");
        }
        if (lock != null) {
          return channel;
        }
        Thread.sleep(200);
      }
      channel.close();
      throw new IllegalStateException("another process holds " + LOCK + " (another test network run?)");
    } catch (IOException e) {
      throw new IllegalStateException("cannot lock " + LOCK + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + LOCK, e);
    }
  }

  /**
   * Removes namespaces and links with our name patterns left by a run that died before close()
   * (SIGKILLed test JVM, machine stopped mid-run). Only called while holding the lock, so nothing
   * of a live run can be hit. Node JVMs that outlived their test JVM are killed first: a
   * namespace with a process in it would outlive `ip netns del`.
   */
  static void sweepLeftovers() {
    List<String> errors = new ArrayList<>();
    for (String line : Sh.check("ip", "netns", "list").stdout().split("\n")) {
      String name = line.strip().split("\\s+")[0];
      if (OUR_NAMESPACE.matcher(name).matches()) {
        removeNamespace(name, errors);
      }
    }
    for (String line : Sh.check("ip", "-br", "link", "show").stdout().split("\n")) {
      String name = line.strip().split("[\\s@]+")[0];
      if (OUR_LINK.matcher(name).matches()) {
        removeLink(name, errors);
      }
    }
    if (!errors.isEmpty()) {
      throw new IllegalStateException("cannot remove leftovers of an earlier run: " + String.join("; ", errors));
    }
  }

  static void removeNamespace(String ns, List<String> errors) {
    Sh.Result pids = Sh.run("ip", "netns", "pids", ns);
    if (pids.ok()) {
      for (String pid : pids.stdout().split("\\s+")) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
    Sh.Result r = Sh.run("ip", "netns", "del", ns);
    if (!r.ok() && !r.stderr().contains("No such file")) {
      errors.add(ns + ": " + r.stderr().strip());
    }
  }

  static void removeLink(String name, List<String> errors) {
    // Deleting the root-side veth end removes its peer at once; deleting only the namespace
    // would leave the veth to the kernel's asynchronous cleanup, visible for a moment after.
    Sh.Result r = Sh.run("ip", "link", "del", "dev", name);
    // "No such device": the kernel was already removing it (its namespace's deletion got there first)
    if (!r.ok() && !r.stderr().contains("Cannot find device") && !r.stderr().contains("No such device")) {
      errors.add(name + ": " + r.stderr().strip());
    }
  }

}
