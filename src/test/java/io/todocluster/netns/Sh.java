package io.todocluster.netns;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command without a shell (so no quoting surprises and no shell between us and the
 * tool), with a timeout, and keeps what it printed. The network harness is built from many
 * short `ip` and `nft` calls; when one fails, its stderr is the only useful diagnosis, so
 * {@link #check} puts it into the exception.
 */
public final class Sh {

  /** Long enough for `ip netns del` on a busy 2-core machine, short enough to notice a hang. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** A command that exited non-zero, timed out or could not start. */
  public static final class Failure extends RuntimeException {
    private final transient Result result;

    Failure(String message, Result result) {
      super(message);
      this.result = result;
    }

    /** What the command printed; null when it never ran. */
    public Result result() {
      return result;
    }
  }

  private Sh() {
  }

  /** Runs the command and returns its result, whatever its exit code. */
  public static Result run(String... command) {
    return run(DEFAULT_TIMEOUT, null, List.of(command));
  }

  /** Runs the command and throws {@link Failure} (with its stderr) unless it exits 0. */
  public static Result check(String... command) {
    return check(null, List.of(command));
  }

  /** As {@link #check(String...)}, feeding {@code stdin} to the command (for `nft -f -`). */
  public static Result check(String stdin, List<String> command) {
    Result result = run(DEFAULT_TIMEOUT, stdin, command);
    if (!result.ok()) {
      throw new Failure(String.join(" ", command) + " exited " + result.exitCode() + ": "
          + result.stderr().strip() + (stdin == null ? "" : "\ninput was:\n" + stdin), result);
    }
    return result;
  }

  public static Result run(Duration timeout, String stdin, List<String> command) {
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new Failure("cannot start " + String.join(" ", command) + ": " + e.getMessage(), null);
    }
    // Both pipes are drained concurrently: a command that fills one pipe while we wait on the
    // other would otherwise block forever.
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
    try (OutputStream in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // the command exited without reading its input; its exit code and stderr say why
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        throw new Failure(String.join(" ", command) + " did not finish within " + timeout, null);
      }
      return new Result(List.copyOf(command), process.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new Failure("interrupted while running " + String.join(" ", command), null);
    }
  }

  private static String drain(InputStream stream) {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
