package io.todocluster.cli;

import io.todocluster.cluster.LastMembership;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code todo-cluster forget-member --data-dir <dir> <name>}: the way out when a member is gone for
 * good (its machine and disk lost) and the rest cannot form without it: removes it from the
 * membership that a stopped node remembers, as etcd's {@code member remove} does. Run it on the
 * data dir of every node that still names the member, then start them. What only that member
 * held is lost: the command says so and does nothing unless told {@code --yes}.
 */
@Command(
    name = "forget-member",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Removes a member that is gone for good from the membership a stopped node remembers.",
    footerHeading = "%n",
    footer = "Exit codes: 0 forgotten (or not remembered), 1 the node is running or its data dir cannot be"
        + " read or written, 2 bad usage.")
final class ForgetMemberCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--data-dir", required = true, paramLabel = "<dir>", description = "The stopped node's data dir.")
  private Path dataDir;

  @Option(names = "--yes", description = "Forget it: writes the member held alone are given up.")
  private boolean yes;

  @Parameters(paramLabel = "<name>", description = "The member's node name (--name), as /ready's waitingFor lists it.")
  private String member;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<LastMembership> remembered;
    try {
      if (running(dataDir)) {
        err.println("a node is running with " + dataDir + ": stop it first");
        return 1;
      }
      remembered = LastMembership.load(dataDir);
    } catch (IOException | RuntimeException e) {
      err.println("cannot read " + dataDir + ": " + e.getMessage());
      return 1;
    }
    if (remembered.isEmpty() || !remembered.get().members().contains(member)) {
      out.println(dataDir + " does not remember " + member + remembered.map(m -> " (it remembers " + m.members() + ")").orElse(""));
      return 0;
    }
    LastMembership now = remembered.get().without(member);
    if (!yes) {
      out.println("would change " + remembered.get().members() + " to " + now.members() + "; writes that only "
          + member + " held are lost for good. Run again with --yes to do it.");
      return 0;
    }
    try {
      now.save(dataDir);
    } catch (RuntimeException e) {
      err.println("cannot write " + dataDir + ": " + e.getMessage());
      return 1;
    }
    out.println(dataDir + " now remembers " + now.members());
    return 0;
  }

  /** Infinispan holds a lock on its global state file while the node runs. */
  private static boolean running(Path dataDir) throws IOException {
    Path lock = dataDir.resolve("infinispan").resolve("___global.lck");
    if (!Files.exists(lock)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
      FileLock held = channel.tryLock();
      if (held == null) {
        return true;
      }
      held.release();
      return false;
    } catch (OverlappingFileLockException sameJvm) {
      return true;
    }
  }
}
