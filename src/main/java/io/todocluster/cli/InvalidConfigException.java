package io.todocluster.cli;

/**
 * A user's mistake in the node's configuration. Its message is one line that names where the
 * bad value came from ({@code --http-port}, {@code TODO_HTTP_PORT}, {@code http-port in
 * node.yaml}) and what was expected; the launcher prints it without a stack trace and exits 2.
 */
public final class InvalidConfigException extends RuntimeException {

  public InvalidConfigException(String source, String problem) {
    // no cause and no stack trace: this is a message for a person, not a bug report
    super(source + ": " + problem, null, false, false);
  }
}
